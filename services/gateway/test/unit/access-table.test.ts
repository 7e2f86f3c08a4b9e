import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessTable, allowed, DENY_BY_DEFAULT } from '../../src/auth/access-table';

/**
 * The gateway's role table, built from the merged document (openapi/openapi.json, generated from
 * the routes' own declarations): administrators everywhere, deny by default, and a static path
 * segment before a parameter whatever the order of the document.
 */
const doc = JSON.parse(readFileSync(join(__dirname, '../../../../openapi/openapi.json'), 'utf8'));
const table = new AccessTable(doc);
const accessFor = (method: string, path: string) => table.accessFor(method, path);

describe('the role table from the merged document', () => {
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

  it('keeps a route the document does not list, or lists without roles, for administrators only', () => {
    expect(accessFor('DELETE', '/v1/anything/new')).toEqual(DENY_BY_DEFAULT);
    expect(accessFor('HEAD', '/v1/procedures')).toEqual(DENY_BY_DEFAULT);
    expect(
      allowed(accessFor('PUT', '/v1/calendar/2027/overrides'), ['leader', 'reporter', 'desk_officer']),
    ).toBe(false);
    const bare = new AccessTable({ paths: { '/v1/things': { get: { responses: {} } } } });
    expect(bare.lookup('GET', '/v1/things')).toEqual(DENY_BY_DEFAULT);
    expect(bare.lookup('GET', '/v1/other')).toBeUndefined();
  });

  it('matches a static segment before a parameter, in any order of the document', () => {
    const paths = {
      '/v1/procedures/{code}': { get: { 'x-roles': ['public'] } },
      '/v1/procedures/statistics': { get: { 'x-roles': ['reporter', 'leader', 'admin'] } },
    };
    for (const order of [paths, Object.fromEntries(Object.entries(paths).reverse())]) {
      const t = new AccessTable({ paths: order });
      expect(t.accessFor('GET', '/v1/procedures/statistics')).toEqual(['reporter', 'leader', 'admin']);
      expect(t.accessFor('GET', '/v1/procedures/1.004579')).toBe('public');
    }
  });

  it('takes every protected operation of the document with its roles, administrators named', () => {
    let operations = 0;
    for (const [path, item] of Object.entries<Record<string, { 'x-roles'?: string[] }>>(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, op] of Object.entries(item)) {
        operations += 1;
        expect(op['x-roles']).toBeDefined();
        if (!op['x-roles']!.includes('public')) expect(op['x-roles']).toContain('admin');
        const concrete = path.replace(/\{[^}]+\}/g, '2026');
        expect(table.lookup(method.toUpperCase(), concrete)).toBeDefined();
      }
    }
    expect(table.size).toBeGreaterThanOrEqual(operations);
  });
});
