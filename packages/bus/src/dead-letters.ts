import { randomUUID } from 'node:crypto';
import { EventEnvelope, parseEvent, type EventType } from '@tthc/contracts';
import { sql, type Generated, type Kysely } from 'kysely';
import { ZodError } from 'zod';
import { applyOnce, type EventHandler, type EventHandlers } from './inbox';

/** An event a consumer could not apply, parked with the reason for an operator to read and replay. */
export interface DeadLetterTable {
  id: string;
  queue: string;
  job_id: string | null;
  event_id: string | null;
  event_type: string | null;
  /** The job's data as it arrived. */
  data: unknown;
  reason: string;
  attempts: number;
  parked_at: Generated<Date>;
  replayed_at: Date | null;
  replay_error: string | null;
}

export interface DeadLetterTables {
  dead_letters: DeadLetterTable;
}

/** Migration body creating the dead-letter table (use inside a consuming service's migration). */
export async function createDeadLettersTable(db: Kysely<any>): Promise<void> {
  await sql`
    create table dead_letters (
      id uuid primary key,
      queue text not null,
      job_id text,
      event_id text,
      event_type text,
      data jsonb not null,
      reason text not null,
      attempts integer not null,
      parked_at timestamptz not null default now(),
      replayed_at timestamptz,
      replay_error text)`.execute(db);
  await sql`create index dead_letters_parked_idx on dead_letters (parked_at desc, id desc)`.execute(db);
}

/**
 * Why an event cannot be read or applied, in a line an operator can act on: a field of the
 * envelope, or of the payload (payload/...) when the envelope reads.
 */
export function reasonOf(err: unknown, data?: unknown): string {
  if (err instanceof ZodError) {
    const inPayload = data !== undefined && EventEnvelope.safeParse(data).success;
    return `does not read: ${err.issues.map((i) => `${[...(inPayload ? ['payload'] : []), ...i.path].join('/') || '/'}: ${i.message}`).join('; ')}`.slice(
      0,
      2000,
    );
  }
  return (err instanceof Error ? err.message : String(err)).slice(0, 2000);
}

export async function parkDeadLetter(
  db: Kysely<any>,
  letter: { queue: string; jobId: string | null; data: unknown; reason: string; attempts: number },
): Promise<void> {
  const raw = (letter.data ?? {}) as { id?: unknown; type?: unknown };
  await (db as Kysely<DeadLetterTables>)
    .insertInto('dead_letters')
    .values({
      id: randomUUID(),
      queue: letter.queue,
      job_id: letter.jobId,
      event_id: typeof raw.id === 'string' ? raw.id.slice(0, 100) : null,
      event_type: typeof raw.type === 'string' ? raw.type.slice(0, 100) : null,
      data: JSON.stringify(letter.data ?? null),
      reason: letter.reason,
      attempts: letter.attempts,
      replayed_at: null,
      replay_error: null,
    })
    .execute();
}

export type DeadLetterRow = DeadLetterTable & { parked_at: Date };

/** Parked events, newest first, after a keyset (parked_at, id). */
export async function listDeadLetters(
  db: Kysely<any>,
  after: { at: string; id: string } | undefined,
  limit: number,
): Promise<DeadLetterRow[]> {
  let q = (db as Kysely<DeadLetterTables>).selectFrom('dead_letters').selectAll();
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('parked_at', '<', new Date(after.at)),
        eb.and([eb('parked_at', '=', new Date(after.at)), eb('id', '<', after.id)]),
      ]),
    );
  return (await q
    .orderBy('parked_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()) as DeadLetterRow[];
}

export async function findDeadLetter(db: Kysely<any>, id: string): Promise<DeadLetterRow | undefined> {
  return (await (db as Kysely<DeadLetterTables>)
    .selectFrom('dead_letters')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()) as DeadLetterRow | undefined;
}

/**
 * Applies a parked event again, through the same handlers and inbox as the consumer (after a fix
 * or a new build that reads it). Succeeds once; a failure is recorded on the letter and thrown.
 */
export async function replayDeadLetter(
  db: Kysely<any>,
  id: string,
  handlers: EventHandlers,
): Promise<{ applied: boolean }> {
  const letter = await findDeadLetter(db, id);
  if (!letter) throw new Error(`no dead letter ${id}`);
  const table = (db as Kysely<DeadLetterTables>).updateTable('dead_letters').where('id', '=', id);
  try {
    const event = parseEvent(letter.data);
    const handler = handlers[event.type] as EventHandler<EventType> | undefined;
    if (!handler) throw new Error(`no handler for ${event.type}`);
    const applied = await applyOnce(db, letter.queue, event, (tx) => handler(event, tx));
    await table.set({ replayed_at: new Date(), replay_error: null }).execute();
    return { applied };
  } catch (err) {
    await table.set({ replay_error: reasonOf(err, letter.data) }).execute();
    throw err;
  }
}
