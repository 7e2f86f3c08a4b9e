import { sql, type Kysely } from 'kysely';
import { RULE_SET_766_2023 } from './seed/rule-set-766-2023';

/**
 * The indicator set (issue 13): a satisfied-dossier counter in the ended rollup (filled by
 * `npm run rebuild -w @tthc/kpi` for dossiers counted before), and the effective-dated indicator
 * rule sets, seeded with the one of Quyết định 766/QĐ-TTg.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table rollup_ended_daily add column satisfied integer not null default 0`.execute(db);
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
    values (${r.id}, ${r.name}, ${r.legalBasis}, ${r.effectiveFrom}::date, ${JSON.stringify(r)}::jsonb, 'seed')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table indicator_rule_sets`.execute(db);
  await sql`alter table rollup_ended_daily drop column satisfied`.execute(db);
}
