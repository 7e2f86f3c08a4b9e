import type { OutboxRecord } from '@tthc/bus';
import type { Executor } from '@tthc/db';
import { sql, type RawBuilder } from 'kysely';
import { settingsStampSql } from '../calendar';
import type { DossierRow } from './dossier.repository';
import type { IntakeDb } from './schema';

/** Columns of `dossiers` and `dossier_history` that are jsonb (Kysely rows carry them as JSON text). */
const JSONB = new Set([
  'applicant_contact',
  'components',
  'processing_time',
  'result',
  'return_info',
  'payload',
]);

/** A Kysely-style row as one JSON object whose jsonb columns are values, not JSON text. */
function asJson(row: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v === undefined) continue;
    out[k] = JSONB.has(k) && typeof v === 'string' ? JSON.parse(v) : v;
  }
  return JSON.stringify(out);
}

const columns = (row: Record<string, unknown>) => Object.keys(row).filter((k) => row[k] !== undefined);
const refs = (cols: string[], alias?: string) =>
  sql.join(cols.map((c) => (alias ? sql.ref(`${alias}.${c}`) : sql.ref(c))));

/** Sets the dossier's code at each path of a jsonb value (the code is known only in the statement). */
function withCode(value: RawBuilder<unknown>, paths: string[][]): RawBuilder<unknown> {
  let out = value;
  for (const p of paths) out = sql`jsonb_set(${out}, ${`{${p.join(',')}}`}::text[], to_jsonb(c.code))`;
  return out;
}

/** What one receipt writes, all in one statement. */
export interface ReceiptWrite {
  /**
   * The day's serial of the receiving agency, allocated in this statement (the code is `prefix`
   * and the serial zero-padded to `width`, domain/dossier-code.ts); without it, `code` is given.
   */
  code: { serial: { agencyCode: string; day: string; prefix: string; width: number } } | { given: string };
  /** A new dossier, or the change of one (at the version read, locked by the caller's transaction). */
  dossier:
    | { insert: Record<string, unknown> }
    | { update: { id: string; version: number; set: Record<string, unknown> } };
  history: { row: Record<string, unknown>; codePaths: string[][] };
  step?: Record<string, unknown> | undefined;
  /** Every event carries the code at `payload.code`. */
  events: OutboxRecord[];
  /** The stored answer of a creating request (its body carries the code at `code`); a duplicate key fails the statement. */
  idempotency?: { scope: string; key: string; hash: string; status: number; body: unknown } | undefined;
  /**
   * The fingerprint of the calendar and rule sets the receipt's terms were computed with
   * (CalendarProvider.unchecked): the statement checks it in its own snapshot and, when they
   * have changed since, writes nothing and fails with StaleSettings, taking no serial.
   */
  settingsStamp?: string | undefined;
}

/** The calendar or the rule sets changed after the receipt's terms were computed: nothing was written. */
export class StaleSettings extends Error {
  constructor() {
    super('the calendar or the rule sets changed since the receipt was computed');
    this.name = 'StaleSettings';
  }
}

/**
 * Writes a receipt in one statement: the serial of the day (when the code is allocated now), the
 * dossier, its first trail entry, its paper hand-over step, its events and the stored answer of
 * an idempotent request. The agency's serial row is locked from the moment this statement takes
 * it until the commit that follows (at once when the statement runs alone), so concurrent
 * receipts at one agency serialize on that short section only; a statement that fails (a reused
 * Idempotency-Key, a conflict) takes no serial, so successful receipts get consecutive codes.
 */
export async function writeReceipt(db: Executor<IntakeDb>, w: ReceiptWrite): Promise<DossierRow | undefined> {
  const ctes: RawBuilder<unknown>[] = [];
  // Every write below depends on c (the code), and c on the guard: a stale fingerprint writes nothing.
  ctes.push(
    w.settingsStamp === undefined
      ? sql`g as (select true as ok)`
      : sql`g as (select ${settingsStampSql} = ${w.settingsStamp}::text as ok)`,
  );
  if ('serial' in w.code) {
    const s = w.code.serial;
    ctes.push(sql`s as (
      insert into dossier_serials (agency_code, day, last_serial)
      select ${s.agencyCode}, ${s.day}::date, 1 from g where g.ok
      on conflict (agency_code, day) do update set last_serial = dossier_serials.last_serial + 1
      returning last_serial)`);
    ctes.push(sql`c as (
      select ${s.prefix}::text || lpad(last_serial::text, greatest(${s.width}::int, length(last_serial::text)), '0') as code
      from s)`);
  } else {
    ctes.push(sql`c as (select ${w.code.given}::text as code from g where g.ok)`);
  }
  if ('insert' in w.dossier) {
    const row = w.dossier.insert;
    const cols = columns(row).filter((k) => k !== 'code');
    ctes.push(sql`d as (
      insert into dossiers (${refs(cols)}, code)
      select ${refs(cols, 'r')}, c.code from c, jsonb_populate_record(null::dossiers, ${asJson(row)}::jsonb) r
      returning *)`);
  } else {
    const u = w.dossier.update;
    const cols = columns(u.set).filter((k) => k !== 'code' && k !== 'updated_at');
    ctes.push(sql`d as (
      update dossiers t set (${refs(cols)}, code) = (
        select ${refs(cols, 'r')}, c.code from c, jsonb_populate_record(null::dossiers, ${asJson(u.set)}::jsonb) r),
        updated_at = now()
      where t.id = ${u.id}::uuid and t.version = ${u.version}::int and exists (select 1 from c)
      returning t.*)`);
  }
  const h = w.history.row;
  const hcols = columns(h);
  ctes.push(sql`h as (
    insert into dossier_history (${refs(hcols)})
    select ${refs(hcols, 'r')} from c,
      jsonb_populate_record(null::dossier_history, ${withCode(
        sql`${asJson(h)}::jsonb`,
        w.history.codePaths.map((p) => ['payload', ...p]),
      )}) r)`);
  if (w.step) {
    const scols = columns(w.step);
    ctes.push(sql`st as (
      insert into dossier_steps (${refs(scols)})
      select ${refs(scols, 'r')} from c, jsonb_populate_record(null::dossier_steps, ${asJson(w.step)}::jsonb) r)`);
  }
  if (w.events.length > 0) {
    const ocols = [
      'id',
      'type',
      'source',
      'entity_id',
      'entity_version',
      'schema_version',
      'request_id',
      'traceparent',
      'occurred_at',
    ];
    ctes.push(sql`o as (
      insert into outbox (${refs(ocols)}, payload)
      select ${refs(ocols, 'r')}, ${withCode(sql`r.payload`, [['code']])}
      from c, jsonb_populate_recordset(null::outbox, ${JSON.stringify(w.events)}::jsonb) r)`);
  }
  if (w.idempotency) {
    const k = w.idempotency;
    ctes.push(sql`k as (
      insert into idempotency_keys (scope, key, request_hash, status, body)
      select ${k.scope}, ${k.key}, ${k.hash}, ${k.status}::int, ${withCode(sql`${JSON.stringify(k.body)}::jsonb`, [['code']])}
      from c)`);
  }
  const { rows } = await sql<DossierRow & { settings_current: boolean }>`
    with ${sql.join(ctes)} select g.ok as settings_current, d.* from g left join d on true`.execute(db);
  const { settings_current: current, ...row } = rows[0]!;
  if (!current) throw new StaleSettings();
  return row.id === null ? undefined : (row as DossierRow);
}

/** The stored answer of a creating request, if its key was used. */
export async function storedAnswer(
  db: Executor<IntakeDb>,
  scope: string,
  key: string,
): Promise<{ request_hash: string; status: number; body: unknown } | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status', 'body'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
}
