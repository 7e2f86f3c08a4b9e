import { randomUUID } from 'node:crypto';
import { Role } from '@tthc/contracts';
import ExcelJS from 'exceljs';
import { eventually } from '@tthc/testkit';
import { startSuite, TEST_CALLBACK_TOKEN, type Suite } from '../support/suite';

/**
 * Who may call what, derived from the merged document the gateway publishes: for every operation
 * and every role (and no credentials at all), a caller the operation's `x-roles` names is let
 * through (an answer, or a 4xx about its input: never 401, 403 or a 5xx) and any other is
 * refused (401 without credentials, 403 problem+json with them). For every agency-scoped
 * operation an officer of another agency, holding a role the operation allows, is refused with
 * 403 problem+json on the records of Sở Y tế (a list without an agency filter leaves them out).
 * The allowed and refused calls use province-wide keys (no agency) and the document's examples
 * (records that mostly do not exist: a 404 is an answer); the cross-agency calls use records of
 * Sở Y tế made for the test.
 */
let suite: Suite;
const now = new Date('2026-11-23T02:00:00Z');

const OWNER = '000.00.17.H55'; // Sở Y tế: the records the cross-agency calls aim at
const OTHER = '000.00.90.H55'; // Bảo hiểm xã hội tỉnh: the officers who may not see them
/** The roles held to an agency (the others are province-wide, at the gateway). */
const AGENCY_BOUND = ['desk_officer', 'processing_officer', 'leader', 'assessor'] as const;
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];
const SAMPLE_ID = '0b5e6a1c-7d2f-4c3a-9e8b-1f2a3b4c5d6e';

type Schema = { example?: unknown; examples?: unknown[]; enum?: unknown[]; default?: unknown; type?: string };
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  'x-roles'?: string[];
  'x-agency-scoped'?: boolean;
}
interface Op {
  method: string;
  path: string;
  op: Operation;
}
type Res = { status: number; type: string; text: string };

const keys: Record<string, Record<string, string>> = {};
let operations: Op[] = [];

async function send(
  headers: Record<string, string>,
  method: string,
  url: string,
  body?: { type: string; data: string | Buffer },
): Promise<Res> {
  const res = await fetch(suite.url + url, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': body.type } : {}) },
    body: body?.data ?? null,
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function issue(name: string, roles: string[], agencyCode: string | null) {
  const res = await send(suite.adminHeaders, 'POST', '/v1/admin/api-keys', {
    type: 'application/json',
    data: JSON.stringify({ name, owner: name, roles, agencyCode }),
  });
  expect(res.status).toBe(201);
  keys[name] = { 'x-api-key': JSON.parse(res.text).key as string };
}

/** A value a parameter takes: the document's example, its first allowed value, else a sample by name. */
function sample(p: Parameter, path: string): string {
  const s = p.schema ?? {};
  const stated = s.example ?? s.examples?.[0] ?? s.enum?.[0] ?? s.default;
  if (stated !== undefined) return String(stated);
  const byName: Record<string, string> = {
    id: SAMPLE_ID,
    year: '2026',
    seq: '1',
    date: '2026-12-31',
    from: '2026-01-01',
    to: '2026-03-31',
    officer: 'cv.duoc',
    provider: 'sms_gateway',
    'x-verification': '5678',
    'x-callback-token': TEST_CALLBACK_TOKEN,
    'if-match': '"1"',
    'idempotency-key': randomUUID(),
    code: path.startsWith('/v1/procedures') ? '1.004579' : '000.20.17.H55-261123-0099',
  };
  return byName[p.name] ?? (s.type === 'integer' || s.type === 'number' ? '1' : 'x');
}

/** The request an operation takes, from its document: path, required query and headers, example body. */
function requestOf(
  { path, op }: Op,
  overrides: { path?: Record<string, string>; query?: Record<string, string>; body?: unknown } = {},
) {
  const params = op.parameters ?? [];
  let url = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const p = params.find((x) => x.in === 'path' && x.name === name) ?? { name, in: 'path' as const };
    return encodeURIComponent(overrides.path?.[name] ?? sample(p, path));
  });
  const query = new URLSearchParams();
  for (const p of params) if (p.in === 'query' && p.required) query.set(p.name, sample(p, path));
  for (const [k, v] of Object.entries(overrides.query ?? {})) query.set(k, v);
  if ([...query].length) url += `?${query}`;
  const headers: Record<string, string> = {};
  for (const p of params) {
    if (p.in === 'header' && (p.required || ['if-match', 'x-callback-token'].includes(p.name)))
      headers[p.name] = sample(p, path);
  }
  const content = op.requestBody?.content ?? {};
  const type = Object.keys(content).find((t) => t === 'application/json') ?? Object.keys(content)[0];
  let body: { type: string; data: string | Buffer } | undefined;
  if (type) {
    const example = overrides.body ?? content[type]?.example;
    body = type.includes('json')
      ? { type, data: JSON.stringify(example ?? {}) }
      : { type, data: typeof example === 'string' ? example : Buffer.alloc(0) };
  }
  return { url, headers, body };
}

/** A target workbook of one row for the agency. */
async function targetSheet(agencyCode: string) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Chỉ tiêu');
  sheet.addRow(['agencyCode', 'year', 'indicator', 'comparator', 'value']);
  sheet.addRow([agencyCode, 2026, 'criterion:online.dossiers_online', 'at_least', 60]);
  return {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    data: Buffer.from(await book.xlsx.writeBuffer()),
  };
}

/** Runs the calls a few at a time (the gateway and the four services share this process). */
async function inPool<T>(items: T[], run: (item: T) => Promise<void>, width = 6): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
    }),
  );
}

const allows = (op: Operation, role: string | null) => {
  const roles = op['x-roles'] ?? ['admin'];
  return roles.includes('public') || (role !== null && (role === 'admin' || roles.includes(role)));
};
const describeCall = (o: Op, who: string, res: Res) =>
  `${o.method.toUpperCase()} ${o.path} as ${who}: ${res.status} ${res.text.slice(0, 200)}`;

/** Records of Sở Y tế the cross-agency calls aim at, made by the administrator. */
const owned: {
  dossier: string;
  feedback: string;
  report: string;
  task: string;
  entry: string;
  target: string;
} = { dossier: '', feedback: '', report: '', task: '', entry: '', target: '' };

async function create(o: Op | undefined, overrides: Parameters<typeof requestOf>[1] = {}) {
  if (!o) throw new Error('operation missing from the document');
  const { url, headers, body } = requestOf(o, overrides);
  const res = await send({ ...suite.adminHeaders, ...headers }, o.method.toUpperCase(), url, body);
  if (res.status >= 300) throw new Error(describeCall(o, 'admin', res));
  return JSON.parse(res.text) as Record<string, unknown>;
}
const find = (method: string, path: string) => operations.find((o) => o.method === method && o.path === path);

beforeAll(async () => {
  suite = await startSuite(() => now, {
    demoCatalogue: true,
    gatewayEnv: { RATE_LIMIT_PER_MINUTE: '100000', TRACKING_RATE_LIMIT_PER_MINUTE: '100000' },
  });
  const res = await fetch(`${suite.url}/openapi.json`);
  const doc = (await res.json()) as { paths: Record<string, Record<string, Operation>> };
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    path.startsWith('/v1/')
      ? METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method]! }))
      : [],
  );
  for (const role of Role.options) await issue(`province-${role}`, [role], null);
  for (const role of AGENCY_BOUND) await issue(`other-${role}`, [role], OTHER);
  await issue('owner-officer', ['desk_officer', 'processing_officer', 'leader'], OWNER);

  // A dossier of Sở Y tế (received at the provincial centre for it) once the catalogue reached intake.
  let refused = '';
  const dossier = await eventually(
    async () => {
      try {
        const procedure = (await (await fetch(`${suite.url}/v1/procedures/1.004579`)).json()) as {
          components?: { name: string }[];
          content?: { components?: { name: string }[] };
        };
        const components = (procedure.components ?? procedure.content?.components ?? []).map((c) => ({
          name: c.name,
          digitized: true,
        }));
        const example = find('post', '/v1/dossiers')?.op.requestBody?.content['application/json']?.example;
        return await create(find('post', '/v1/dossiers'), { body: { ...(example as object), components } });
      } catch (err) {
        refused = (err as Error).message;
        return undefined;
      }
    },
    { timeoutMs: 30_000, what: 'a dossier of Sở Y tế' },
  ).catch((err: Error) => {
    throw new Error(`${err.message}: ${refused}`);
  });
  owned.dossier = String(dossier.code);
  const feedback = await create(find('post', '/v1/feedback'), {
    body: {
      kind: 'handling',
      dossierCode: owned.dossier,
      sender: { name: 'Trần Thị Bình', phone: '0912345678' },
      content: 'Chậm trả',
    },
  });
  owned.feedback = String(feedback.code);
  owned.report = String((await create(find('post', '/v1/reports'))).id);
  owned.task = String((await create(find('post', '/v1/kpi/plan-tasks'))).id);
  owned.entry = String((await create(find('post', '/v1/kpi/reform-registers'))).id);
  owned.target = String((await create(find('put', '/v1/kpi/targets'))).id);
  await create(find('post', '/v1/reports/schedules'), {
    body: {
      kind: 'dossier-statistics',
      agencyCode: OWNER,
      cadence: 'quarter',
      basis: 'statutory',
      formats: ['json'],
    },
  });
}, 180_000);
afterAll(() => suite?.close());

describe('the roles of every operation, from the merged document', () => {
  it('declares who may call every operation (x-roles, and security unless public)', () => {
    expect(operations.length).toBeGreaterThan(100);
    const undeclared = operations.filter((o) => !Array.isArray(o.op['x-roles'])).map((o) => o.path);
    expect(undeclared).toEqual([]);
    for (const { op } of operations) {
      const security = (op as { security?: unknown[] }).security;
      expect(security?.length ?? 0).toBe(op['x-roles']!.includes('public') ? 0 : 2);
    }
  });

  it('lets every role the operation names through and refuses every other, on every operation', async () => {
    const callers: (string | null)[] = [null, ...Role.options];
    const calls = operations.flatMap((o) => callers.map((role) => ({ o, role })));
    const wrong: string[] = [];
    let checked = 0;
    await inPool(calls, async ({ o, role }) => {
      const { url, headers, body } = requestOf(o);
      const credentials = role === null ? {} : keys[`province-${role}`]!;
      const res = await send({ ...credentials, ...headers }, o.method.toUpperCase(), url, body);
      const who = role ?? 'anonymous';
      checked += 1;
      if (allows(o.op, role)) {
        if (res.status === 401 || res.status === 403 || res.status >= 500)
          wrong.push(describeCall(o, who, res));
      } else if (
        res.status !== (role === null ? 401 : 403) ||
        !res.type.includes('application/problem+json')
      ) {
        wrong.push(describeCall(o, who, res));
      }
    });
    expect(wrong).toEqual([]);
    expect(checked).toBe(operations.length * callers.length);
  }, 300_000);

  it('refuses an officer of another agency on every agency-scoped operation (403 problem+json)', async () => {
    const scoped = operations.filter((o) => o.op['x-agency-scoped']);
    expect(scoped.length).toBeGreaterThan(30);
    const ids: Record<string, string> = {};
    const wrong: string[] = [];
    await inPool(scoped, async (o) => {
      const role = AGENCY_BOUND.find((r) => o.op['x-roles']!.includes(r));
      // An operation only province-wide roles may call holds nobody to an agency: not scoped.
      if (!role)
        return void wrong.push(`${o.method} ${o.path}: scoped, but no role that may call it has an agency`);
      const names = new Set((o.op.parameters ?? []).map((p) => `${p.in}:${p.name}`));
      const path: Record<string, string> = { agencyCode: OWNER, seq: '1', form: '01' };
      if (o.path.startsWith('/v1/dossiers/')) path['code'] = owned.dossier;
      if (o.path.startsWith('/v1/feedback/')) path['code'] = owned.feedback;
      if (o.path.startsWith('/v1/reports/{id}')) path['id'] = owned.report;
      if (o.path.startsWith('/v1/kpi/plan-tasks/{id}')) path['id'] = owned.task;
      if (o.path.startsWith('/v1/kpi/reform-registers/{id}')) path['id'] = owned.entry;
      if (o.path.startsWith('/v1/kpi/targets/{id}')) path['id'] = owned.target;
      const query: Record<string, string> = {};
      if (names.has('query:agencyCode')) query['agencyCode'] = OWNER;
      else if (names.has('query:agencies')) query['agencies'] = OWNER;
      const overrides: Parameters<typeof requestOf>[1] = { path, query };
      if (o.method === 'post' && o.path === '/v1/feedback')
        overrides.body = {
          kind: 'handling',
          dossierCode: owned.dossier,
          sender: { name: 'Lê Văn Cường', phone: '0912345679' },
          content: 'Chậm',
        };
      const { url, headers, body } = requestOf(o, overrides);
      // The target import reads a workbook (the document names no JSON body): one row for Sở Y tế.
      const sheet = o.path === '/v1/kpi/targets/import' ? await targetSheet(OWNER) : undefined;
      const res = await send(
        { ...keys[`other-${role}`]!, ...headers },
        o.method.toUpperCase(),
        url,
        sheet ?? body,
      );
      ids[`${o.method} ${o.path}`] = String(res.status);
      const namesAgency = Object.keys(query).length > 0 || /\{(code|id|agencyCode)\}/.test(o.path);
      const isList = o.method === 'get' && !namesAgency;
      if (isList) {
        // A list that names no agency: answered, without the records of Sở Y tế.
        const leaked = Object.values(owned).filter((v) => res.text.includes(v));
        if (res.status !== 200 || leaked.length > 0 || res.text.includes(OWNER))
          wrong.push(`${describeCall(o, `${role} of ${OTHER}`, res)} (shows ${leaked.join(', ')})`);
      } else if (res.status !== 403 || !res.type.includes('application/problem+json')) {
        wrong.push(describeCall(o, `${role} of ${OTHER}`, res));
      }
    });
    expect(wrong).toEqual([]);
    expect(Object.keys(ids)).toHaveLength(scoped.length);
  }, 180_000);

  it('logs every read of an operation that carries personal data, by the officers of its agency', async () => {
    const personal = operations.filter((o) => (o.op as { 'x-personal-data'?: string[] })['x-personal-data']);
    expect(personal.map((o) => o.op.operationId).sort()).toEqual([
      'getDossier',
      'getFeedback',
      'printDossierSlip',
    ]);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const logged = async () => {
      const res = await send(
        suite.adminHeaders,
        'GET',
        `/v1/audit/personal-data-access?from=${day(-1)}&to=${day(1)}&format=jsonl`,
      );
      expect(res.status).toBe(200);
      return res.text.split('\n').filter((line) => line.trim() !== '');
    };
    for (const o of personal) {
      const before = await logged();
      const path = { code: o.path.startsWith('/v1/feedback') ? owned.feedback : owned.dossier, form: '01' };
      const { url, headers } = requestOf(o, { path });
      const res = await send({ ...keys['owner-officer']!, ...headers }, 'GET', url);
      expect({ op: o.op.operationId, status: res.status }).toEqual({ op: o.op.operationId, status: 200 });
      const after = await logged();
      expect({ op: o.op.operationId, added: after.length - before.length }).toEqual({
        op: o.op.operationId,
        added: 1,
      });
      expect(JSON.parse(after.at(-1)!)).toMatchObject({ actor_role: 'desk_officer', actor_agency: OWNER });
    }
  }, 120_000);
});
