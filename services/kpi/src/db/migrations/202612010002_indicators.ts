import { sql, type Kysely } from 'kysely';
import { RULE_SET_766_2023 } from './seed/rule-set-766-2023';

/**
 * The indicator set (issue 13): a satisfied-dossier counter in the ended rollup (filled by
 * `npm run rebuild -w @tthc/kpi` for dossiers counted before), whether intake states the legal due
 * date on a dossier's events, and the effective-dated indicator rule sets, seeded with the one of
 * Quyết định 766/QĐ-TTg.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table rollup_ended_daily add column satisfied integer not null default 0`.execute(db);
  // Intake states the legal due date on its events since the dossier clock (issue 10).
  await sql`alter table dossiers add column legal_clock boolean not null default false`.execute(db);
  await sql`
    create table indicator_rule_sets (
      id text primary key,
      name text not null,
      legal_basis text not null,
      effective_from date not null unique,
      definition jsonb not null,
      created_by text not null,
      created_at timestamptz not null default now())`.execute(db);
  const r = RULE_SET_766_2023;
  await sql`
    insert into indicator_rule_sets (id, name, legal_basis, effective_from, definition, created_by)
    values (${r.id}, ${r.name}, ${r.legalBasis}, ${r.effectiveFrom}::date, ${JSON.stringify(r)}::jsonb, 'seed')`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table indicator_rule_sets`.execute(db);
  await sql`alter table rollup_ended_daily drop column satisfied`.execute(db);
  await sql`alter table dossiers drop column legal_clock`.execute(db);
}
