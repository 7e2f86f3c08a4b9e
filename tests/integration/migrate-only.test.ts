import { createDatabase, dropDatabase, TEST_ENV, uniqueName } from '@tthc/testkit';
import { migrateOnly } from '@tthc/service-kit';
import pg from 'pg';
import { serviceSchemas } from '../setup/service-schemas';

/** The process Kubernetes runs before a rollout (services/<service>/dist/migrate.js). */
describe('migrating a schema alone', () => {
  const adminUrl = process.env[TEST_ENV.adminUrl]!;
  const name = uniqueName('tthc_t_migrate');
  let url: string;
  beforeAll(async () => {
    url = await createDatabase(adminUrl, name); // empty: no template
  });
  afterAll(() => dropDatabase(adminUrl, name));

  it('applies every migration of each schema to an empty database, then finds it current', async () => {
    for (const { schema, migrations } of serviceSchemas) {
      const env = { DATABASE_URL: url, LOG_LEVEL: 'silent' };
      const applied = await migrateOnly({ name: schema, schema, migrations, env });
      expect(applied).toEqual(Object.keys(migrations).sort());
      expect(await migrateOnly({ name: schema, schema, migrations, env })).toEqual([]);
    }
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query<{ nspname: string }>(
        'select nspname from pg_namespace where nspname = any($1) order by nspname',
        [serviceSchemas.map((s) => s.schema)],
      );
      expect(rows.map((r) => r.nspname)).toEqual(serviceSchemas.map((s) => s.schema).sort());
    } finally {
      await c.end();
    }
  });

  it('refuses a missing DATABASE_URL by name, before connecting', async () => {
    const [{ schema, migrations }] = serviceSchemas as [(typeof serviceSchemas)[number]];
    await expect(migrateOnly({ name: schema, schema, migrations, env: {} })).rejects.toThrow(/DATABASE_URL/);
  });
});
