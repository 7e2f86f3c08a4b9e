import { sql, type Kysely } from 'kysely';
import { defineKeeping, defineStockFunctions } from './202612040101_stock_deltas';

/**
 * Stock changes appended instead of added to a row per key (issue 13, Speed: the event lag).
 *
 * Migration 202612040101 added each statement's changes to one row per key under a lock of the
 * schema's own, held from the save to the commit: the consumers' writers, which save dossiers in
 * parallel, queued there one after another (about half of a save's time at 500 events/s). The
 * readers sum the rows of a key anyway (stock.repository.ts), so a key may have many: the trigger
 * now appends its statement's sums as rows marked `pending`, with no key to conflict on and so
 * nothing to lock or to deadlock on, and compact_stock_deltas() folds the rows of some pending
 * keys into one row each, in one statement (the rows it deletes are those its snapshot sees; a
 * change committed meanwhile stays pending for the next run, and a second run at the same time
 * skips the rows the first deleted). The consumers run it every few seconds (workers/
 * stock-compaction.ts), so a key holds a handful of rows at most.
 */
const KEY = 'grain, start, agency_code, field_code, procedure_code, authority_level, channel';
const NONZERO = 'sum(in_progress) <> 0 or sum(legal_overdue) <> 0 or sum(ind_overdue) <> 0';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table stock_deltas add column pending boolean not null default false`.execute(db);
  await sql`alter table stock_deltas alter column pending set default true`.execute(db);
  await sql`alter table stock_deltas drop constraint stock_deltas_pkey`.execute(db);
  await sql`create index stock_deltas_key_idx on stock_deltas (${sql.raw(KEY)})`.execute(db);
  await sql`create index stock_deltas_pending_idx on stock_deltas (${sql.raw(KEY)}) where pending`.execute(
    db,
  );

  // A statement's changes (new rows minus old rows), summed per key, appended: pending, but for
  // the refill's (one row per key already).
  const append = (source: ReturnType<typeof sql>, refill: boolean) => sql`
    insert into stock_deltas (${sql.raw(KEY)}, in_progress, legal_overdue, ind_overdue, pending)
    select ${sql.raw(KEY)}, sum(in_progress), sum(legal_overdue), sum(ind_overdue), ${sql.raw(String(!refill))}
    from (${source}) as c
    group by ${sql.raw(KEY)}
    having ${sql.raw(NONZERO)}`;
  await defineStockFunctions(db, append, false);

  // Folds the rows of at most `max_keys` pending keys into one row each; answers how many keys.
  const on = KEY.split(', ')
    .map((c) => `s.${c} = k.${c}`)
    .join(' and ');
  await sql`
    create function compact_stock_deltas(max_keys integer) returns integer
    language sql
    set search_path from current
    as $$
      with keys as (
        select distinct ${sql.raw(KEY)} from stock_deltas where pending limit max_keys
      ), gone as (
        delete from stock_deltas s using keys k where ${sql.raw(on)}
        returning s.*
      ), folded as (
        insert into stock_deltas (${sql.raw(KEY)}, in_progress, legal_overdue, ind_overdue, pending)
        select ${sql.raw(KEY)}, sum(in_progress), sum(legal_overdue), sum(ind_overdue), false
        from gone
        group by ${sql.raw(KEY)}
        having ${sql.raw(NONZERO)}
      )
      select count(*)::integer from keys
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function compact_stock_deltas(integer)`.execute(db);
  await sql`delete from stock_deltas`.execute(db); // refilled below, one row per key
  await sql`drop index stock_deltas_pending_idx`.execute(db);
  await sql`drop index stock_deltas_key_idx`.execute(db);
  await sql`alter table stock_deltas drop column pending`.execute(db);
  await sql`alter table stock_deltas add primary key (${sql.raw(KEY)})`.execute(db);
  await defineKeeping(db);
  await sql`select refill_stock_deltas()`.execute(db);
}
