import {
  identityHeaders,
  openTestResources,
  TEST_INTERNAL_SECRET,
  eventually,
  type TestResources,
} from '@tthc/testkit';
import type { ServiceApp } from '@tthc/service-kit';
import { buildApp } from '../src/app';
import { ReadCache } from '../src/cache/read-cache';
import { SCHEMA, type CatalogueDb } from '../src/db/schema';
import { workingDaysBetweenFactory } from '../src/working-days';
import { AGENCIES, createPublished, FIELDS, procedure, type Harness } from './fixtures';

/**
 * Issue 12, item 3: published reads answer from memory with an ETag and Cache-Control, a
 * conditional GET is a 304 without a query, and a change is read at once, here and (through a
 * Redis notice) at another replica.
 */

let t: TestResources<CatalogueDb>;
let queries = 0;
let a: ServiceApp;
let b: ServiceApp;
let headers: Record<string, string>;

async function replica(): Promise<ServiceApp> {
  // Every statement the app sends passes through this plugin: the count says whether a read queried.
  const counted = t.db.withPlugin({
    transformQuery: (args) => {
      queries++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return buildApp({
    config: { INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET },
    logger: t.logger,
    db: counted,
    redis: t.redis,
    clock: () => new Date('2026-06-30T03:00:00Z'),
    workingDaysBetween: workingDaysBetweenFactory(),
    onEventsWritten: () => undefined,
    readCache: new ReadCache({
      logger: t.logger,
      notices: { redis: t.redis, channel: `${t.bus.prefix}:catalogue:changed` },
    }),
  });
}

beforeAll(async () => {
  t = await openTestResources<CatalogueDb>(SCHEMA);
  a = await replica();
  b = await replica();
  headers = await identityHeaders({ sub: 'officer-1', kind: 'officer', roles: ['admin'], agencyCode: null });
  for (const f of FIELDS) await a.inject({ method: 'POST', url: '/v1/fields', headers, payload: f });
  for (const ag of AGENCIES) await a.inject({ method: 'POST', url: '/v1/agencies', headers, payload: ag });
  await createPublished({ app: a, headers } as Harness, procedure('1.000001'));
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await t?.close();
});

const get = (app: ServiceApp, url: string, extra: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { ...headers, ...extra } });

describe.each([
  ['a procedure', '/v1/procedures/1.000001'],
  ['a page of the list', '/v1/procedures?limit=5&fieldCode=DUOC_PHAM'],
])('%s', (_what, url) => {
  it('carries an ETag and Cache-Control, and answers a conditional GET with 304 without a query', async () => {
    const first = await get(a, url);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);

    const before = queries;
    const again = await get(a, url);
    expect(again.body).toBe(first.body);
    const conditional = await get(a, url, { 'if-none-match': etag });
    expect(conditional.statusCode).toBe(304);
    expect(conditional.body).toBe('');
    expect(conditional.headers.etag).toBe(etag);
    expect(queries - before).toBe(0);
  });
});

describe('a change', () => {
  it('is read at once by the replica that wrote it, and after its notice by another', async () => {
    const item = '/v1/procedures/1.000002';
    const list = '/v1/procedures?limit=50';
    const listA = await get(a, list);
    const listB = await get(b, list);
    expect((await get(b, item)).statusCode).toBe(404);
    expect(listB.body).toBe(listA.body);

    // Written through a: a answers the new record and a new page at once.
    const created = await a.inject({
      method: 'POST',
      url: '/v1/procedures',
      headers,
      payload: procedure('1.000002'),
    });
    expect(created.statusCode).toBe(201);
    const afterA = await get(a, list, { 'if-none-match': listA.headers.etag as string });
    expect(afterA.statusCode).toBe(200);
    expect(afterA.body).toContain('1.000002');
    expect((await get(a, item)).statusCode).toBe(200);

    // b had the old page in memory; the notice over Redis empties it.
    await eventually(
      async () => {
        const r = await get(b, list, { 'if-none-match': listB.headers.etag as string });
        return r.statusCode === 200 && r.body.includes('1.000002') ? true : undefined;
      },
      { timeoutMs: 5_000, what: 'the other replica to read the change' },
    );

    // An edit moves the ETag: the old one no longer gets a 304.
    const edited = await a.inject({
      method: 'PUT',
      url: item,
      headers: { ...headers, 'if-match': created.headers.etag as string },
      payload: { ...procedure('1.000002', { name: 'Thủ tục đã sửa' }), code: undefined },
    });
    expect(edited.statusCode).toBe(200);
    const reread = await get(a, item, { 'if-none-match': created.headers.etag as string });
    expect(reread.statusCode).toBe(200);
    expect(reread.json().name).toBe('Thủ tục đã sửa');
    expect(reread.headers.etag).toBe(edited.headers.etag);
  });
});
