import { accessFor, allowed, POLICY } from '../../src/auth/policy';

/** The gateway's role table: who may call what, first match wins, administrators everywhere, deny by default. */
describe('the role table', () => {
  it.each([
    ['GET', '/v1/procedures/1.004579', [], true],
    ['GET', '/v1/tracking/000.20.17.H55-261123-0001', [], true],
    ['GET', '/v1/calendar/due-date', [], true],
    ['POST', '/v1/dossiers', ['portal'], true],
    ['POST', '/v1/dossiers', ['reporter'], false],
    ['GET', '/v1/dossiers', ['portal'], false],
    ['GET', '/v1/dossiers/000.20.17.H55-261123-0001/slips/05', ['leader'], true],
    ['POST', '/v1/dossiers/X/accept', ['processing_officer'], false],
    ['POST', '/v1/dossiers/X/accept', ['desk_officer'], true],
    ['POST', '/v1/dossiers/X/steps/3/complete', ['processing_officer'], true],
    ['POST', '/v1/dossiers/X/steps/3/complete', ['reporter'], false],
    ['POST', '/v1/dossiers/import', ['desk_officer'], false],
    ['GET', '/v1/procedures/statistics', [], false],
    ['GET', '/v1/procedures/statistics', ['reporter'], true],
    ['GET', '/v1/kpi/statistics', ['leader'], true],
    ['GET', '/v1/kpi/statistics', ['desk_officer'], false],
    ['POST', '/v1/feedback/F/rating', ['portal'], true],
    ['POST', '/v1/feedback/F/answer', ['portal'], false],
    ['PUT', '/v1/kpi/targets', ['leader'], true],
    ['PUT', '/v1/kpi/targets', ['reporter'], false],
    ['POST', '/v1/kpi/targets/import', ['leader'], true],
    ['POST', '/v1/kpi/frameworks/PAR-SYT/2026/scores', ['assessor'], true],
    ['POST', '/v1/kpi/frameworks/PAR-SYT/2026/scores', ['leader'], false],
    ['POST', '/v1/kpi/frameworks', ['leader'], false],
    ['POST', '/v1/kpi/frameworks/PAR-SYT/2026/results/000.00.17.H55/publish', ['assessor'], false],
    ['GET', '/v1/kpi/frameworks/PAR-SYT/2026/results/000.00.17.H55', ['assessor'], true],
    ['GET', '/v1/kpi/statistics', ['assessor'], false],
    ['GET', '/v1/kpi/scorecards', ['reporter'], true],
    ['POST', '/v1/kpi/plan-tasks', ['leader'], true],
    ['PUT', '/v1/kpi/reform-registers/R', ['reporter'], false],
  ] as const)('%s %s for %j: %s', (method, path, roles, expected) => {
    expect(allowed(accessFor(method, path), [...roles])).toBe(expected);
  });

  it('lets an administrator call any route, listed or not', () => {
    expect(allowed(accessFor('DELETE', '/v1/anything/new'), ['admin'])).toBe(true);
    expect(allowed(accessFor('POST', '/v1/procedures'), ['admin'])).toBe(true);
  });

  it('keeps an unlisted route for administrators only', () => {
    expect(accessFor('POST', '/v1/procedures')).toEqual([]);
    expect(
      allowed(accessFor('PUT', '/v1/calendar/2027/overrides'), ['leader', 'reporter', 'desk_officer']),
    ).toBe(false);
  });

  it('documents every rule', () => {
    for (const rule of POLICY) expect(rule.note.length).toBeGreaterThan(5);
  });
});
