import { OFFICIAL_DAYS_2024_2026, datesBetween } from '@tthc/calendar';
import { sql, type Kysely } from 'kysely';

/**
 * Seeds the official days of 2024 and 2025 announced after the first seed (202611230002):
 * Tết 2024 and 2025 with the first day back after each, the 29/4/2024 swap for Saturday 4/5,
 * and Quốc khánh 2025. A date already in the table (seeded before, or set by an administrator)
 * is left as it is. (202611230002 reads the same table from @tthc/calendar, so on a new database
 * it has seeded these rows already and this migration finds nothing to add.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const d of OFFICIAL_DAYS_2024_2026.filter((o) => o.date < '2026-01-01')) {
    await sql`insert into calendar_overrides (date, kind, reason, source, updated_by)
      values (${d.date}, ${d.kind}, ${d.reason}, ${d.source ?? null}, 'seed')
      on conflict (date) do nothing`.execute(db);
  }
}

/** The 2024–2025 dates the first seed already held (Quốc khánh 2024, 30/4–1/5 2025): kept on the way down. */
const FIRST_SEED = new Set([
  ...datesBetween('2024-08-31', '2024-09-03'),
  '2025-04-26',
  ...datesBetween('2025-04-30', '2025-05-04'),
]);

export async function down(db: Kysely<any>): Promise<void> {
  const added = OFFICIAL_DAYS_2024_2026.filter((o) => o.date < '2026-01-01' && !FIRST_SEED.has(o.date)).map(
    (o) => o.date,
  );
  await sql`delete from calendar_overrides where updated_by = 'seed' and date in (${sql.join(added)})`.execute(
    db,
  );
}
