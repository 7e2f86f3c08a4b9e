import { eventually } from '@tthc/testkit';
import { sql } from 'kysely';
import { FILING } from '../support/filings';
import { startSuite, type Suite } from '../support/suite';

/**
 * Administrators export the dossiers' audit trail, the personal-data access log and the key
 * administration log of a date range through the gateway, as CSV or JSON lines, streamed page by
 * page (a range longer than one page comes whole and in order); other roles are refused.
 */

let suite: Suite;
let code = '';
const now = new Date('2026-11-24T03:00:00Z');
const RANGE = 'from=2026-11-24&to=2026-11-24';

beforeAll(async () => {
  suite = await startSuite(() => now, { demoCatalogue: true });
  const filed = await eventually(
    async () => {
      const res = await fetch(`${suite.url}/v1/dossiers`, {
        method: 'POST',
        headers: { ...suite.adminHeaders, 'content-type': 'application/json' },
        body: JSON.stringify(FILING),
      });
      return res.status === 201 ? ((await res.json()) as { code: string }) : undefined;
    },
    { what: 'intake to know the demo procedure', timeoutMs: 30_000 },
  );
  code = filed.code;
  // A personal-data read, and a key issued (the key administration log).
  await fetch(`${suite.url}/v1/dossiers/${encodeURIComponent(code)}`, { headers: suite.adminHeaders });
}, 120_000);
afterAll(() => suite.close());

const get = async (path: string, headers: Record<string, string> = suite.adminHeaders) => {
  const res = await fetch(suite.url + path, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

describe('audit exports', () => {
  it("streams the dossiers' trail as CSV with a header row, and as JSON lines, across pages", async () => {
    // 2,500 more trail rows of the dossier on the same day: more than two pages of the export.
    const intake = suite.resources.dbFor<any>('intake');
    await sql`
      insert into dossier_history (dossier_id, dossier_version, action, from_status, to_status, actor, at, payload)
      select d.id, 1000 + g, 'note', 'received', 'received', 'key:admin:test', ${now}, '{"note": "Ghi chú, \\"trích\\""}'::jsonb
      from dossiers d, generate_series(1, 2500) g where d.code = ${code}`.execute(intake);

    const csv = await get(`/v1/audit/dossier-trail?${RANGE}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'dossier_code,version,action,from_status,to_status,actor,actor_name,actor_role,actor_agency,at,payload',
    );
    expect(lines).toHaveLength(1 + 1 + 2500);
    expect(lines[1]).toContain(`${code},1,receive`);
    // A value with a comma and quotes is quoted as RFC 4180 says.
    expect(lines[2]).toContain('"{""note"":""Ghi chú, \\""trích\\""""}"');

    const jsonl = await get(`/v1/audit/dossier-trail?${RANGE}&format=jsonl`);
    expect(jsonl.type).toContain('application/jsonl');
    const rows = jsonl.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { dossier_code: string; version: number; payload: unknown });
    expect(rows).toHaveLength(2501);
    expect(rows.map((r) => r.version)).toEqual([1, ...Array.from({ length: 2500 }, (_, i) => 1001 + i)]);
    expect(rows[1]!.payload).toEqual({ note: 'Ghi chú, "trích"' });

    // Outside the range, nothing but the header.
    const empty = await get('/v1/audit/dossier-trail?from=2026-11-25&to=2026-11-30');
    expect(
      empty.text
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n'),
    ).toHaveLength(1);
  });

  it('exports the personal-data access log with who, from where and why', async () => {
    // The log is stamped by the database's clock, not the test's.
    const today = new Date().toISOString().slice(0, 10);
    const csv = await get(`/v1/audit/personal-data-access?from=2026-11-24&to=${today}`);
    expect(csv.status).toBe(200);
    const [header, ...rows] = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(header).toBe('at,actor,actor_role,actor_agency,client_address,dossier_code,feedback_id,purpose');
    expect(rows.some((r) => r.includes(code))).toBe(true);
  });

  it('exports the key administration log', async () => {
    const issued = await fetch(`${suite.url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { ...suite.adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Báo cáo', owner: 'reporting-tool', roles: ['reporter'] }),
    });
    expect(issued.status).toBe(201);
    const reporterKey = ((await issued.json()) as { key: string }).key;
    const today = new Date().toISOString().slice(0, 10);
    const jsonl = await get(`/v1/admin/audit/export?from=${today}&to=${today}&format=jsonl`);
    expect(jsonl.status).toBe(200);
    const actions = jsonl.text
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { action: string }).action);
    expect(actions).toContain('api_key.create');

    // For administrators only; a reversed range is a 400 naming the field.
    for (const path of [
      `/v1/audit/dossier-trail?${RANGE}`,
      `/v1/audit/personal-data-access?${RANGE}`,
      `/v1/admin/audit/export?${RANGE}`,
    ])
      expect((await get(path, { 'x-api-key': reporterKey })).status).toBe(403);
    const reversed = await get('/v1/audit/dossier-trail?from=2026-11-30&to=2026-11-01');
    expect(reversed.status).toBe(400);
    expect(JSON.parse(reversed.text).errors[0].pointer).toBe('/to');
  });
});
