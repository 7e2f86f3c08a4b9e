import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '@tthc/testkit';
import { startSuite, type Suite } from '../support/suite';

let suite: Suite;
const demo = JSON.parse(
  readFileSync(join(__dirname, '../../services/catalogue/seed/demo-catalogue.json'), 'utf8'),
) as {
  procedures: {
    code: string;
    name: string;
    fieldCode: string;
    onlineLevel: string;
    legacyLevel: number | null;
    methods: { channel: string }[];
    components: { case: string | null; name: string }[];
    publication: { effectiveFrom: string } | null;
  }[];
};

beforeAll(async () => {
  suite = await startSuite(() => new Date('2026-06-30T03:00:00Z'), { demoCatalogue: true });
});
afterAll(() => suite.close());

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(suite.url + path, {
    method,
    headers: {
      ...suite.adminHeaders,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as any };
};

describe('the demo catalogue through the gateway', () => {
  it('lists every published procedure of the file and counts them by field', async () => {
    const list = await call('GET', '/v1/procedures?status=published&count=true&limit=1');
    expect(list.body.total).toBe(demo.procedures.length);
    const stats = (await call('GET', '/v1/procedures/statistics?date=2026-06-30')).body;
    expect(stats.totals.published).toBe(demo.procedures.length);
    const byField = new Map<string, number>();
    for (const r of stats.byField) byField.set(r.fieldCode, (byField.get(r.fieldCode) ?? 0) + r.count);
    for (const field of new Set(demo.procedures.map((p) => p.fieldCode))) {
      expect({ field, count: byField.get(field) }).toEqual({
        field,
        count: demo.procedures.filter((p) => p.fieldCode === field).length,
      });
    }
    const online = demo.procedures.filter((p) => p.onlineLevel !== 'none').length;
    expect(stats.shares.online).toMatchObject({ count: online, total: demo.procedures.length });
  });

  it('counts the procedures in force by legacy level, adding up to the published total, and lists them by level', async () => {
    const stats = (await call('GET', '/v1/procedures/statistics?date=2026-06-30')).body;
    const legacy = stats.publishedByLevel.legacy as Record<string, number>;
    expect(Object.values(legacy).reduce((a, b) => a + b, 0)).toBe(stats.totals.published);
    const atLevel = (l: number | null) => demo.procedures.filter((p) => p.legacyLevel === l).length;
    expect(legacy).toEqual({
      level1: atLevel(1),
      level2: atLevel(2),
      level3: atLevel(3),
      level4: atLevel(4),
      none: atLevel(null),
    });
    // "N procedures at level 3 or 4": the list filter answers the same figure.
    const levels34 = await call('GET', '/v1/procedures?legacyLevel=3,4&status=published&count=true&limit=1');
    expect(levels34.body.total).toBe(legacy['level3']! + legacy['level4']!);
  });

  it('searches without accents', async () => {
    const expected = demo.procedures
      .filter((p) =>
        p.name
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .replace(/[đĐ]/g, 'd')
          .toLowerCase()
          .includes('my pham'),
      )
      .map((p) => p.code)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const found = (
      await call('GET', `/v1/procedures?q=${encodeURIComponent('my pham')}&sort=code&limit=200`)
    ).body.items.map((p: { code: string }) => p.code);
    expect(found).toEqual(expected);
  });

  it('drops an abolished procedure from the published count from its effective date, keeping it readable', async () => {
    const target = demo.procedures[0]!;
    const current = await call('GET', `/v1/procedures/${target.code}`);
    const abolished = await call(
      'POST',
      `/v1/procedures/${target.code}/abolish`,
      {
        decisionNumber: '555/QĐ-UBND',
        signedOn: '2026-06-25',
        effectiveFrom: '2026-07-01',
        reason: 'Bãi bỏ',
      },
      { 'if-match': current.etag ?? '' },
    );
    expect(abolished.status).toBe(200);
    const on30 = (await call('GET', '/v1/procedures/statistics?date=2026-06-30')).body;
    const on1 = (await call('GET', '/v1/procedures/statistics?date=2026-07-01')).body;
    expect(on30.totals.published).toBe(demo.procedures.length);
    expect(on1.totals.published).toBe(demo.procedures.length - 1);
    expect(on1.totals.abolished).toBe(1);
    const read = await call('GET', `/v1/procedures/${target.code}`);
    expect(read.body).toMatchObject({ code: target.code, status: 'abolished', name: target.name });
    const history = (await call('GET', `/v1/procedures/${target.code}/history`)).body.items;
    expect(history[history.length - 1]).toMatchObject({
      action: 'abolished',
      decisionNumber: '555/QĐ-UBND',
      effectiveFrom: '2026-07-01',
    });
    expect(read.body.abolition).toEqual({
      decisionNumber: '555/QĐ-UBND',
      signedOn: '2026-06-25',
      effectiveFrom: '2026-07-01',
      reason: 'Bãi bỏ',
    });
    expect(read.body.decision.decisionNumber).toBe(current.body.decision.decisionNumber);
  });

  it('tells the intake about the published procedures, so a desk can receive dossiers for them', async () => {
    const target = demo.procedures.find(
      (p, i) => i > 0 && p.publication && p.methods.some((m) => m.channel === 'direct'),
    )!;
    const required = target.components.filter((c) => c.case === null).map((c) => ({ name: c.name }));
    const dossier = await eventually(
      async () => {
        const res = await call('POST', '/v1/dossiers', {
          procedureCode: target.code,
          channel: 'direct',
          applicant: { kind: 'person', fullName: 'Lê Văn Cường' },
          components: required,
        });
        return res.status === 201 ? res.body : undefined;
      },
      { what: 'the intake to know the demo procedures', timeoutMs: 20_000 },
    );
    expect(dossier.procedureCode).toBe(target.code);
  });
});
