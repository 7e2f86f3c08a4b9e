import { randomUUID } from 'node:crypto';
import {
  currentSchemaVersion,
  eventPayloads,
  type EventEnvelope,
  type EventPayload,
  type EventType,
} from '@tthc/contracts';
import { afterCommit } from '@tthc/db';
import { sql, type ColumnType, type Generated, type Kysely, type Transaction } from 'kysely';
import { outboxWritten } from './signal';
import { traceparentOf } from './trace-context';

/** The outbox table every event-emitting service has in its own schema. */
export interface OutboxTable {
  id: string;
  type: string;
  source: string;
  entity_id: string;
  entity_version: number;
  /** The version of the payload's contract it was written at. */
  schema_version: Generated<number>;
  payload: unknown;
  request_id: string | null;
  /** W3C trace context of the transaction that wrote it (null with tracing off). */
  traceparent: ColumnType<string | null, string | null | undefined, string | null>;
  occurred_at: Generated<Date>;
  attempts: Generated<number>;
  /** When the row may be sent (now, or later after a failed send: the backoff). */
  available_at: Generated<Date>;
  /** Until when a relay that claimed the row holds it (null: never claimed, or given back). */
  leased_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  sent_at: Date | null;
  last_error: string | null;
}

/** The columns of an outbox row its event is made of. */
export type OutboxEventRow = Pick<
  OutboxTable,
  'id' | 'type' | 'source' | 'entity_id' | 'entity_version' | 'payload' | 'request_id'
> & { schema_version: number; occurred_at: Date | string };

/**
 * The event an outbox row carries, as the relay sends it (and a consumer or a replay reads it);
 * the trace context of its send when it has one.
 */
export function envelopeOf(row: OutboxEventRow, traceparent?: string | null): EventEnvelope {
  return {
    id: row.id,
    type: row.type as EventType,
    schemaVersion: row.schema_version,
    source: row.source,
    entityId: row.entity_id,
    entityVersion: row.entity_version,
    occurredAt: new Date(row.occurred_at).toISOString(),
    requestId: row.request_id,
    ...(traceparent ? { traceparent } : {}),
    payload: row.payload,
  } as EventEnvelope;
}

/** The inbox table of a consuming service: one row per event it has applied. */
export interface ProcessedEventsTable {
  event_id: string;
  queue: string;
  event_type: string;
  processed_at: Generated<Date>;
}

export interface BusTables {
  outbox: OutboxTable;
  processed_events: ProcessedEventsTable;
}

/** Migration body creating the outbox (use inside a service's migration). */
export async function createOutboxTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('entity_version', 'integer', (c) => c.notNull())
    .addColumn('schema_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('traceparent', 'text')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute();
  await orderOutboxClaim(db);
}

/**
 * Migration body adding the payload's contract version to an outbox created before events
 * carried one (rows already there were written at version 1).
 */
export async function addOutboxSchemaVersion(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox add column if not exists schema_version integer not null default 1`.execute(
    db,
  );
}

/**
 * Migration body adding the trace context to an outbox created before rows carried one (rows
 * already there have none: their events start a trace of their own when relayed).
 */
export async function addOutboxTraceparent(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox add column if not exists traceparent text`.execute(db);
}

/**
 * Migration body giving the relay's claim an index in its own order and a lease that writes no
 * index, and the outbox the storage settings of a queue table (createOutboxTable ends with it;
 * each step may run again).
 *
 * The claim takes the unsent rows whose time has come in the order of that time
 * (`order by available_at, occurred_at, id`), skipping those another relay holds: with the unsent
 * rows indexed by `(available_at, occurred_at, id)` it reads them in order and stops at its batch,
 * and rows backing off after a failed send (`available_at` ahead) lie past where it stops, however
 * many an outage left. Before, the lease set `available_at` too, so leasing a row moved its index
 * entry and left a dead one; it now sets `leased_until`, which is not indexed: a heap-only update
 * where the page has room (the outbox keeps a fifth of each page free). A row leaves one dead
 * entry, when it is marked sent. Per-table vacuum and analyze thresholds clean and measure the
 * table after every few thousand rows, not after a fifth of a table that only grows.
 *
 * The index is built in the migration's transaction: writes to the outbox wait for the build,
 * which reads the whole table (every event ever relayed: the outbox is not pruned).
 */
export async function orderOutboxClaim(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox add column if not exists leased_until timestamptz`.execute(db);
  await sql`drop index if exists outbox_pending_idx`.execute(db);
  await sql`create index outbox_pending_idx on outbox (available_at, occurred_at, id) where sent_at is null`.execute(
    db,
  );
  await sql`alter table outbox set (fillfactor = 80, autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 5000, autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_insert_threshold = 20000, autovacuum_analyze_scale_factor = 0,
    autovacuum_analyze_threshold = 10000)`.execute(db);
}

/** Migration body undoing orderOutboxClaim. */
export async function unorderOutboxClaim(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_pending_idx`.execute(db);
  await sql`create index outbox_pending_idx on outbox (available_at, occurred_at) where sent_at is null`.execute(
    db,
  );
  await sql`alter table outbox drop column if exists leased_until`.execute(db);
  await sql`alter table outbox reset (fillfactor, autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
    autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold, autovacuum_analyze_scale_factor,
    autovacuum_analyze_threshold)`.execute(db);
}

/** Migration body creating the inbox of applied events (use inside a consuming service's migration). */
export async function createProcessedEventsTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('processed_events')
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('processed_events_pk', ['event_id', 'queue'])
    .execute();
}

export interface EmitOptions {
  source: string;
  entityId: string;
  entityVersion: number;
  requestId?: string | null;
  occurredAt?: Date;
}

/** An outbox row as a statement writes it: validated against the contract, with a fresh event id. */
export interface OutboxRecord {
  id: string;
  type: string;
  source: string;
  entity_id: string;
  entity_version: number;
  schema_version: number;
  payload: unknown;
  request_id: string | null;
  traceparent: string | null;
  occurred_at: Date;
}

/**
 * The row of an event, validated against its contract, for a caller that writes it itself in the
 * statement of the change (one round trip for the change and its events). The caller must write
 * it in the transaction of the change and raise `outboxWritten` once that commits.
 */
export function outboxRecord<T extends EventType>(
  type: T,
  payload: EventPayload<T>,
  options: EmitOptions,
): OutboxRecord {
  return {
    id: randomUUID(),
    type,
    source: options.source,
    entity_id: options.entityId,
    entity_version: options.entityVersion,
    schema_version: currentSchemaVersion(type),
    payload: eventPayloads[type].parse(payload),
    request_id: options.requestId ?? null,
    // The trace of the change goes on where the event is relayed and consumed.
    traceparent: traceparentOf(),
    occurred_at: options.occurredAt ?? new Date(),
  };
}

/**
 * Writes an event to the outbox inside the caller's transaction: it is sent if and only if
 * the change it describes commits. The payload is validated against the contract first.
 */
export async function emitEvent<T extends EventType>(
  tx: Transaction<any>,
  type: T,
  payload: EventPayload<T>,
  options: EmitOptions,
): Promise<string> {
  const row = outboxRecord(type, payload, options);
  // The relay hears of it once the transaction commits, not at its next tick.
  afterCommit(tx, () => outboxWritten.notify());
  await (tx as Transaction<BusTables>)
    .insertInto('outbox')
    .values({ ...row, payload: JSON.stringify(row.payload) })
    .execute();
  return row.id;
}

/** Age in seconds of the oldest unsent event (0 when the outbox is empty): the relay's backlog. */
export async function outboxBacklog(db: Kysely<any>): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const row = await (db as Kysely<BusTables>)
    .selectFrom('outbox')
    .where('sent_at', 'is', null)
    .select([
      sql<number>`count(*)::int`.as('pending'),
      sql<number>`coalesce(extract(epoch from now() - min(occurred_at)), 0)::float8`.as('age'),
    ])
    .executeTakeFirstOrThrow();
  return { pending: row.pending, oldestAgeSeconds: row.age };
}
