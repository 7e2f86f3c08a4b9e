import { sql, type Kysely } from 'kysely';

/**
 * The rollups' changes made after their day (domain/late-changes.ts), so a period's figures as of
 * its end are the rollups minus an indexed sum instead of a judgement of every dossier open at
 * its end (issue 13, Speed). `late_kept` marks the dossiers whose changes are kept; the others
 * (folded before this migration) are still corrected from their timelines, so figures stay exact
 * until `npm run rebuild -w @tthc/kpi` has filled the tables for every dossier.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, measures] of [
    [
      'rollup_received_late',
      [
        'received',
        'received_online',
        'received_direct_postal',
        'fee_bearing',
        'paid_online',
        'digitized',
        'reused',
        'citizen_store',
        'population_known',
        'population_used',
      ],
    ],
    [
      'rollup_ended_late',
      [
        'ended',
        'resolved',
        'legal_early',
        'legal_on_time',
        'legal_late',
        'ind_early',
        'ind_on_time',
        'ind_late',
        'e_result',
        'result_digitized',
        'dissatisfied',
        'satisfied',
      ],
    ],
  ] as const) {
    await sql`
      create table ${sql.table(table)} (
        day date not null,
        changed_day date not null,
        agency_code text not null,
        field_code text not null,
        procedure_code text not null,
        authority_level text not null,
        channel text not null,
        ${sql.join(measures.map((m) => sql`${sql.ref(m)} integer not null default 0`))},
        primary key (day, changed_day, agency_code, field_code, procedure_code, authority_level, channel))`.execute(
      db,
    );
  }
  await sql`alter table dossiers add column late_kept boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table dossiers drop column late_kept`.execute(db);
  await sql`drop table rollup_ended_late`.execute(db);
  await sql`drop table rollup_received_late`.execute(db);
}
