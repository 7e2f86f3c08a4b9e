/**
 * A logical backup of every schema of the suite (catalogue, intake, kpi, reports, gateway):
 *
 *   DATABASE_URL=postgres://… npx tsx scripts/backup.ts --out backups/2026-12-01
 *
 * One gzipped CSV per table and a manifest (load order, row counts), read in one consistent
 * snapshot while the suite runs. Restore with scripts/restore.ts.
 */
import { parseArgs } from 'node:util';
import { backupDatabase } from './lib/backup';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const url = process.env['DATABASE_URL'];
if (!url || !values.out) {
  console.error('usage: DATABASE_URL=postgres://… npx tsx scripts/backup.ts --out <directory>');
  process.exit(2);
}
backupDatabase(url, values.out)
  .then((m) => {
    const rows = m.tables.reduce((n, t) => n + t.rows, 0);
    console.log(`backed up ${m.tables.length} tables, ${rows} rows, to ${values.out}`);
  })
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
