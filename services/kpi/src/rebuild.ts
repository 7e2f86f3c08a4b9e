import { createDb, migrateSchema } from '@tthc/db';
import { z } from 'zod';
import { migrations, SCHEMA } from './db/migrations';
import type { KpiDb } from './db/schema';
import { rebuildRollups, refoldAll } from './facts/rebuild';

/**
 * `npm run rebuild -w @tthc/kpi [-- --refold]`: folds every dossier again from its logged events
 * (with --refold, after a change of the folding rules or a migration from the first skeleton),
 * then rebuilds the daily rollups and their late changes from the facts. It is also the backfill
 * of migration 202612010204 (late changes): until it has run, dossiers folded before are
 * corrected from their timelines (exact, slower).
 */
async function main(): Promise<void> {
  const env = z.object({ DATABASE_URL: z.string().min(1) }).parse(process.env);
  const db = createDb<KpiDb>({
    connectionString: env.DATABASE_URL,
    schema: SCHEMA,
    applicationName: 'kpi-rebuild',
  });
  try {
    await migrateSchema(db, SCHEMA, migrations);
    if (process.argv.includes('--refold')) console.log(`refolded ${await refoldAll(db)} dossiers`);
    const r = await rebuildRollups(db);
    console.log(`rebuilt the rollups from ${r.dossiers} dossiers (${r.rows} rows)`);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
