/**
 * Restores a backup of scripts/backup.ts into an empty database:
 *
 *   DATABASE_URL=postgres://…/tthc_restored npx tsx scripts/restore.ts --from backups/2026-12-01
 *
 * Migrates every schema first (as the services do at start), then loads every table in one
 * transaction and moves the sequences past the restored ids. Start the services on it afterwards:
 * the outbox relays only the events not yet sent, and a message already sent is not sent again.
 * Use a fresh Redis prefix (QUEUE_PREFIX) or flush the old queues: the jobs in Redis are not part
 * of the backup, and anything in flight is taken up again from the tables.
 */
import { parseArgs } from 'node:util';
import { createDb, migrateSchema, type Migrations } from '@tthc/db';
import { migrations as catalogue } from '../services/catalogue/src/db/migrations';
import { migrations as gateway } from '../services/gateway/src/db/migrations';
import { migrations as intake } from '../services/intake/src/db/migrations';
import { migrations as kpi } from '../services/kpi/src/db/migrations';
import { migrations as reports } from '../services/reports/src/db/migrations';
import { restoreDatabase } from './lib/backup';

const MIGRATIONS: Record<string, Migrations> = { catalogue, intake, kpi, reports, gateway };

async function migrateAll(databaseUrl: string): Promise<void> {
  for (const [schema, migrations] of Object.entries(MIGRATIONS)) {
    const db = createDb<unknown>({ connectionString: databaseUrl, schema, maxConnections: 1 });
    try {
      await migrateSchema(db, schema, migrations);
    } finally {
      await db.destroy();
    }
  }
}

const { values } = parseArgs({ options: { from: { type: 'string' } } });
const url = process.env['DATABASE_URL'];
if (!url || !values.from) {
  console.error('usage: DATABASE_URL=postgres://… npx tsx scripts/restore.ts --from <directory>');
  process.exit(2);
}
migrateAll(url)
  .then(() => restoreDatabase(url, values.from!))
  .then((m) => {
    const rows = m.tables.reduce((n, t) => n + t.rows, 0);
    console.log(`restored ${m.tables.length} tables, ${rows} rows, from ${values.from} (taken ${m.takenAt})`);
  })
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
