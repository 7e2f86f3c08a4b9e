import { sql, type Kysely } from 'kysely';

/**
 * Dossiers synced to the national portal (766, nhóm 1 chỉ số 4): when each dossier's receipt
 * reached it (dossier.national_synced from intake), and the received-side counter in the rollups
 * and their late changes. Dossiers folded before this migration count as not synced, which they
 * were: the suite did not sync before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table dossiers add column national_synced_at timestamptz`.execute(db);
  for (const t of ['rollup_received_daily', 'rollup_received_late'])
    await sql`alter table ${sql.table(t)} add column synced_national integer not null default 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['rollup_received_daily', 'rollup_received_late'])
    await sql`alter table ${sql.table(t)} drop column synced_national`.execute(db);
  await sql`alter table dossiers drop column national_synced_at`.execute(db);
}
