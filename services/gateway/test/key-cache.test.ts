import { randomUUID } from 'node:crypto';
import { migrateSchema } from '@tthc/db';
import { eventually, openTestResources, type TestResources } from '@tthc/testkit';
import { generateApiKey } from '../src/auth/api-keys';
import { ApiKeyCache, KEY_TTL_MS, LAST_USE_EVERY_MS } from '../src/auth/key-cache';
import { insertApiKey, revokeApiKey } from '../src/db/api-key.repository';
import { migrations, SCHEMA } from '../src/db/migrations';
import type { GatewayDb } from '../src/db/schema';

/** Issue 12, item 3: authenticating a known key costs no query; revocation still holds at once. */

let t: TestResources<GatewayDb>;
let statements: string[] = [];
let now = Date.parse('2026-11-30T02:00:00Z');

const cacheOn = () =>
  new ApiKeyCache({
    // Every statement passes through this plugin, so the test sees what the cache sends.
    db: t.db.withPlugin({
      transformQuery: (args) => {
        statements.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    }),
    logger: t.logger,
    notices: { redis: t.redis, channel: `${t.bus.prefix}:gw:api-key-revoked` },
    now: () => now,
  });

async function newKey() {
  const { prefix, hash } = generateApiKey();
  const id = randomUUID();
  await insertApiKey(t.db, {
    id,
    prefix,
    hash,
    name: 'portal',
    owner: 'portal',
    roles: ['portal'],
    agency_code: null,
    expires_at: null,
    revoked_at: null,
    last_used_at: null,
    created_by: 'test',
  });
  return { id, prefix };
}

beforeAll(async () => {
  t = await openTestResources<GatewayDb>(SCHEMA);
  await migrateSchema(t.db, SCHEMA, migrations);
});
afterAll(() => t.close());
beforeEach(() => {
  statements = [];
});

describe('the API key cache', () => {
  it('reads a key once within its time to live, and again after it', async () => {
    const cache = cacheOn();
    const { prefix } = await newKey();
    for (let i = 0; i < 5; i++) expect((await cache.find(prefix))?.prefix).toBe(prefix);
    expect(statements).toEqual(['SelectQueryNode']);
    now += KEY_TTL_MS + 1;
    await cache.find(prefix);
    expect(statements).toEqual(['SelectQueryNode', 'SelectQueryNode']);
  });

  it('writes a key’s last use at most once a minute', async () => {
    const cache = cacheOn();
    const key = await newKey();
    const row = (await cache.find(key.prefix))!;
    statements = [];
    for (let i = 0; i < 10; i++) cache.used(row);
    now += LAST_USE_EVERY_MS - 1;
    cache.used(row);
    expect(statements).toEqual(['UpdateQueryNode']);
    now += 2;
    cache.used(row);
    expect(statements).toEqual(['UpdateQueryNode', 'UpdateQueryNode']);
    const stored = await eventually(async () => {
      const r = await t.db
        .selectFrom('api_keys')
        .select('last_used_at')
        .where('id', '=', key.id)
        .executeTakeFirst();
      return r?.last_used_at ?? undefined;
    });
    expect(stored).toBeInstanceOf(Date);
  });

  it('forgets a revoked key at once here, and at another replica on its notice', async () => {
    const here = cacheOn();
    const there = cacheOn();
    there.listen();
    try {
      const key = await newKey();
      expect((await here.find(key.prefix))?.revoked_at).toBeNull();
      expect((await there.find(key.prefix))?.revoked_at).toBeNull();
      await revokeApiKey(t.db, key.id, new Date(now));
      here.revoked(key.prefix);
      expect((await here.find(key.prefix))?.revoked_at).toBeInstanceOf(Date);
      // Well within the time to live (the clock does not move): only the notice can explain it.
      await eventually(async () => ((await there.find(key.prefix))?.revoked_at ? true : undefined), {
        timeoutMs: 5_000,
        what: 'the other replica to hear of the revocation',
      });
    } finally {
      there.close();
    }
  });
});
