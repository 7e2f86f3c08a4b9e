import { OFFICIAL_DAYS_2024_2026 } from '@tthc/calendar';
import { sql, type Kysely } from 'kysely';
import { SEEDED_RULE_SETS } from '../../calendar';

/** Seeds the 2018 and 2025 rule sets and the officially announced days 2024–2026. */
export async function up(db: Kysely<any>): Promise<void> {
  for (const r of SEEDED_RULE_SETS) {
    await sql`insert into rule_sets (id, name, legal_basis, effective_from, params)
      values (${r.id}, ${r.name}, ${r.legalBasis}, ${r.effectiveFrom}, ${JSON.stringify(r.params)})
      on conflict (id) do nothing`.execute(db);
  }
  for (const d of OFFICIAL_DAYS_2024_2026) {
    await sql`insert into calendar_overrides (date, kind, reason, source, updated_by)
      values (${d.date}, ${d.kind}, ${d.reason}, ${d.source ?? null}, 'seed')
      on conflict (date) do nothing`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from calendar_overrides where updated_by = 'seed'`.execute(db);
  await sql`delete from rule_sets where id in ('ND61-2018', 'ND118-2025')`.execute(db);
}
