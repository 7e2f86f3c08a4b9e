import { sql, type Kysely } from 'kysely';

/**
 * The drill-down of an overdue stock cell (in progress and overdue at a period's end, in either
 * view) looked for its dossiers among every dossier in progress on the day (about 62,000 of
 * 1,000,000, 42,000 heap pages) to keep the few thousand overdue. Indexes over just the dossiers
 * ever overdue find them directly (figures/drill-down.ts asks with the same predicate).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index dossiers_legal_overdue_idx on dossiers using gist (legal_overdue_days)
    where legal_overdue_days <> '{}'::datemultirange`.execute(db);
  await sql`create index dossiers_ind_overdue_idx on dossiers using gist (ind_overdue_days)
    where ind_overdue_days <> '{}'::datemultirange`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index dossiers_ind_overdue_idx`.execute(db);
  await sql`drop index dossiers_legal_overdue_idx`.execute(db);
}
