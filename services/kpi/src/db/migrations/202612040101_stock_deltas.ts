import { sql, type Kysely } from 'kysely';

/**
 * The stocks of the statistics table (carried over, in progress, overdue in each view) as changes
 * per day instead of a count over the dossiers' stock spans (issue 13, Speed: that count read
 * ~124,000 rows by a sequential scan at 1,000,000 dossiers and grew with every open dossier).
 *
 * A judged dossier (its stock spans written: domain/stock-spans.ts) adds +1 in progress on the
 * first day of its progress span and −1 on the day after it; the same for each span of days on
 * which it is overdue, per view. The stock at the end of day D is then the sum of the changes on
 * days up to D. So that the sum reads a bounded number of rows however long the history, each
 * change is kept three times: on its day, its month and its year (grain 'd', 'm', 'y'), and the
 * stock on D sums the years before D's year, the months of D's year before D's month, and the
 * days of D's month up to D (stock.repository.ts).
 *
 * The changes are kept by a trigger on `dossiers`: every writer of a dossier's row (the
 * consumers, the refold, the rebuild, the bulk generator's COPY, a delete, a truncate) keeps them with it in
 * the same statement, each statement's changes summed and written in key order. Key order alone
 * does not keep concurrent writers from deadlocking: an INSERT … ON CONFLICT DO UPDATE (the
 * consumers' save) fires the insert and the update triggers, two sorted passes, and a second pass
 * can take a key below one a first pass holds. So the trigger first takes a transaction lock of
 * its own (one per schema): writers of stock changes queue there, after their rollups (written
 * before the save), for the rest of their transaction, which is the save and the commit.
 * Dossiers not judged yet are left out, as the count left them out; the figures judge those from
 * their timelines.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table stock_deltas (
      grain "char" not null check (grain in ('d', 'm', 'y')),
      start date not null,
      agency_code text not null,
      field_code text not null,
      procedure_code text not null,
      authority_level text not null,
      channel text not null,
      in_progress integer not null default 0,
      legal_overdue integer not null default 0,
      ind_overdue integer not null default 0,
      primary key (grain, start, agency_code, field_code, procedure_code, authority_level, channel))`.execute(
    db,
  );
  // A backup leaves a derived table out: restoring the dossiers fills it again through the trigger.
  await sql`comment on table stock_deltas is 'derived: kept by triggers on dossiers'`.execute(db);

  // One dossier row's changes, at each grain, signed (+1 as it is, −1 as it was).
  await sql`
    create function stock_delta_rows(
      text, text, text, text, text, daterange, datemultirange, datemultirange, integer)
    returns table (grain "char", start date, agency_code text, field_code text, procedure_code text,
      authority_level text, channel text, in_progress integer, legal_overdue integer, ind_overdue integer)
    language sql immutable
    as $$
      select g.grain, g.start, $1, $2, $3, coalesce($4, 'unknown'), $5, c.p * $9, c.l * $9, c.i * $9
      from (
        select lower($6) as day, 1 as p, 0 as l, 0 as i where not isempty($6)
        union all select upper($6), -1, 0, 0 where not isempty($6) and not upper_inf($6)
        union all select lower(r), 0, 1, 0 from unnest($7) as r
        union all select upper(r), 0, -1, 0 from unnest($7) as r where not upper_inf(r)
        union all select lower(r), 0, 0, 1 from unnest($8) as r
        union all select upper(r), 0, 0, -1 from unnest($8) as r where not upper_inf(r)
      ) as c
      cross join lateral (values
        ('d'::"char", c.day),
        ('m'::"char", date_trunc('month', c.day::timestamp)::date),
        ('y'::"char", date_trunc('year', c.day::timestamp)::date)) as g (grain, start)
      where $6 is not null and $7 is not null and $8 is not null
    $$`.execute(db);

  await defineKeeping(db);
  await sql`create trigger dossiers_stock_deltas_insert after insert on dossiers
    referencing new table as new_rows for each statement execute function keep_stock_deltas()`.execute(db);
  await sql`create trigger dossiers_stock_deltas_update after update on dossiers
    referencing old table as old_rows new table as new_rows for each statement execute function keep_stock_deltas()`.execute(
    db,
  );
  await sql`create trigger dossiers_stock_deltas_delete after delete on dossiers
    referencing old table as old_rows for each statement execute function keep_stock_deltas()`.execute(db);

  // Emptying the dossiers (a reset, a test, a restore) empties their changes. A delete, not a
  // truncate: a truncate of both tables in one statement holds stock_deltas in use.
  await sql`
    create function clear_stock_deltas() returns trigger
    language plpgsql
    set search_path from current
    as $$ begin delete from stock_deltas; return null; end $$`.execute(db);
  await sql`create trigger dossiers_stock_deltas_truncate after truncate on dossiers
    for each statement execute function clear_stock_deltas()`.execute(db);

  await sql`select refill_stock_deltas()`.execute(db);
}

/** One statement's stock changes: each row of `rows` (a transition table or `dossiers`) signed. */
export const stockChanges = (rows: string, sign: number) => sql`
  select x.* from ${sql.raw(rows)} as d
  cross join lateral stock_delta_rows(d.agency_code, d.field_code, d.procedure_code, d.authority_level,
    d.channel, d.progress_span, d.legal_overdue_days, d.ind_overdue_days, ${sql.raw(String(sign))}) as x`;

/**
 * The trigger function and the refill, around `write`: the statement that writes a source's
 * changes (`refill`: the refill's, of every dossier, rather than a trigger's). `lock`: the trigger
 * first takes the schema's lock of writers of stock changes.
 */
export async function defineStockFunctions(
  db: Kysely<any>,
  write: (source: ReturnType<typeof sql>, refill: boolean) => ReturnType<typeof sql>,
  lock: boolean,
): Promise<void> {
  const compiled = (source: ReturnType<typeof sql>, refill = false) =>
    sql.raw(write(source, refill).compile(db).sql);
  await sql`
    create or replace function keep_stock_deltas() returns trigger
    language plpgsql
    set search_path from current
    as $$
    begin
      ${sql.raw(lock ? "perform pg_advisory_xact_lock(hashtext('stock_deltas'), hashtext(current_schema()));" : '')}
      if tg_op = 'INSERT' then
        ${compiled(stockChanges('new_rows', 1))};
      elsif tg_op = 'UPDATE' then
        ${compiled(sql`${stockChanges('old_rows', -1)} union all ${stockChanges('new_rows', 1)}`)};
      else
        ${compiled(stockChanges('old_rows', -1))};
      end if;
      return null;
    end
    $$`.execute(db);
  // Every dossier's changes again from their rows (the rebuild), and now for those already folded.
  await sql`
    create or replace function refill_stock_deltas() returns void
    language sql
    set search_path from current
    as $$
      delete from stock_deltas;
      ${compiled(stockChanges('dossiers', 1), true)};
    $$`.execute(db);
}

/**
 * As this migration keeps the changes: one row per key, added to under a lock of the schema's own
 * (202612070101 replaces this, and puts it back on its way down).
 */
export async function defineKeeping(db: Kysely<any>): Promise<void> {
  // The statement's changes (new rows minus old rows), summed per key and added in key order.
  const apply = (source: ReturnType<typeof sql>) => sql`
    insert into stock_deltas as s (grain, start, agency_code, field_code, procedure_code, authority_level,
      channel, in_progress, legal_overdue, ind_overdue)
    select grain, start, agency_code, field_code, procedure_code, authority_level, channel,
      sum(in_progress), sum(legal_overdue), sum(ind_overdue)
    from (${source}) as c
    group by grain, start, agency_code, field_code, procedure_code, authority_level, channel
    having sum(in_progress) <> 0 or sum(legal_overdue) <> 0 or sum(ind_overdue) <> 0
    order by grain, start, agency_code, field_code, procedure_code, authority_level, channel
    on conflict (grain, start, agency_code, field_code, procedure_code, authority_level, channel) do update set
      in_progress = s.in_progress + excluded.in_progress,
      legal_overdue = s.legal_overdue + excluded.legal_overdue,
      ind_overdue = s.ind_overdue + excluded.ind_overdue`;
  await defineStockFunctions(db, apply, true);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger dossiers_stock_deltas_insert on dossiers`.execute(db);
  await sql`drop trigger dossiers_stock_deltas_update on dossiers`.execute(db);
  await sql`drop trigger dossiers_stock_deltas_delete on dossiers`.execute(db);
  await sql`drop trigger dossiers_stock_deltas_truncate on dossiers`.execute(db);
  await sql`drop function clear_stock_deltas()`.execute(db);
  await sql`drop function refill_stock_deltas()`.execute(db);
  await sql`drop function keep_stock_deltas()`.execute(db);
  await sql`drop function stock_delta_rows`.execute(db);
  await sql`drop table stock_deltas`.execute(db);
}
