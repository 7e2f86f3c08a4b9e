import { randomUUID } from 'node:crypto';
import { context, createContextKey } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { openTestResources, type TestResources } from '@tthc/testkit';
import { sql, type Transaction } from 'kysely';
import { createProcessedEventsTable, InboxBatcher } from '../src';

let t: TestResources<any>;
// A registered provider brings the context manager (async hooks) that carries a context across awaits.
const provider = new NodeTracerProvider();

beforeAll(async () => {
  provider.register();
  t = await openTestResources('bus_inbox_batch');
  await createProcessedEventsTable(t.db);
  await sql`create table applied (event_id uuid not null, backend int not null, txid bigint not null)`.execute(
    t.db,
  );
});
afterAll(async () => {
  await provider.shutdown();
  await t.close();
});

const event = (id: string = randomUUID()) => ({ id, type: 'dossier.received' });

/** A handler that records which transaction applied the event; fails for the ids given. */
const recording =
  (id: string, failFor: Set<string> = new Set()) =>
  async (tx: Transaction<any>) => {
    await sql`insert into applied select ${id}::uuid, pg_backend_pid(), txid_current()`.execute(tx);
    if (failFor.has(id)) throw new Error(`cannot apply ${id}`);
  };

const appliedRows = async (ids: string[]) =>
  (
    await sql<{ event_id: string; txid: string }>`
      select event_id, txid::text from applied where event_id = any(${ids}::uuid[])`.execute(t.db)
  ).rows;

describe('events applied together (InboxBatcher)', () => {
  it('applies the events handed in together in one transaction, each once, and answers each caller', async () => {
    const batcher = new InboxBatcher(t.db, 'q.batch', 8);
    const events = Array.from({ length: 8 }, () => event());
    const answers = await Promise.all(events.map((e) => batcher.apply(e, recording(e.id))));
    expect(answers).toEqual(events.map(() => true));
    const rows = await appliedRows(events.map((e) => e.id));
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.txid)).size).toBe(1);
    const inbox = await sql<{ n: number }>`
      select count(*)::int as n from processed_events where queue = 'q.batch' and event_id = any(${events.map((e) => e.id)}::uuid[])`.execute(
      t.db,
    );
    expect(inbox.rows[0]!.n).toBe(8);
  });

  it('applies an event once whether delivered twice in one batch or again later', async () => {
    const batcher = new InboxBatcher(t.db, 'q.dup', 4);
    const e = event();
    const other = event();
    const first = await Promise.all([
      batcher.apply(e, recording(e.id)),
      batcher.apply(e, recording(e.id)),
      batcher.apply(other, recording(other.id)),
    ]);
    expect(first).toEqual([true, false, true]);
    expect(
      await Promise.all([batcher.apply(e, recording(e.id)), batcher.apply(event(), async () => undefined)]),
    ).toEqual([false, true]);
    expect(await appliedRows([e.id])).toHaveLength(1);
  });

  it('lets a failing event fail alone: the others of its batch still apply, each in a transaction of its own', async () => {
    const batcher = new InboxBatcher(t.db, 'q.fail', 5);
    const events = Array.from({ length: 5 }, () => event());
    const bad = new Set([events[2]!.id]);
    const settled = await Promise.allSettled(events.map((e) => batcher.apply(e, recording(e.id, bad))));
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const rows = await appliedRows(events.map((e) => e.id));
    expect(rows.map((r) => r.event_id).sort()).toEqual(
      events
        .filter((e) => !bad.has(e.id))
        .map((e) => e.id)
        .sort(),
    );
    expect(new Set(rows.map((r) => r.txid)).size).toBe(4);
    // The failed one left no inbox row: it is applied when delivered again.
    bad.clear();
    expect(await batcher.apply(events[2]!, recording(events[2]!.id, bad))).toBe(true);
  });

  it('settles each transaction once, after its handlers: what they gathered is written in it, alone when the batch fails', async () => {
    // Handlers gather ids per transaction; settle writes them in one statement and fails for a bad id.
    const gathered = new Map<Transaction<any>, string[]>();
    const bad = new Set<string>();
    let settles = 0;
    const settle = async (tx: Transaction<any>) => {
      settles++;
      const ids = gathered.get(tx) ?? [];
      gathered.delete(tx);
      await sql`insert into applied select id, pg_backend_pid(), txid_current() from unnest(${ids}::uuid[]) id`.execute(
        tx,
      );
      if (ids.some((id) => bad.has(id))) throw new Error('cannot settle');
    };
    const gather = (id: string) => async (tx: Transaction<any>) => {
      gathered.set(tx, [...(gathered.get(tx) ?? []), id]);
    };
    const batcher = new InboxBatcher(t.db, 'q.settle', 4, 2, settle);

    const together = Array.from({ length: 4 }, () => event());
    expect(await Promise.all(together.map((e) => batcher.apply(e, gather(e.id))))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(settles).toBe(1);
    const rows = await appliedRows(together.map((e) => e.id));
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.txid)).size).toBe(1);

    settles = 0;
    const apart = Array.from({ length: 4 }, () => event());
    bad.add(apart[1]!.id);
    const settled = await Promise.allSettled(apart.map((e) => batcher.apply(e, gather(e.id))));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    // Once for the batch that failed, then once for each event in its own transaction.
    expect(settles).toBe(5);
    const written = await appliedRows(apart.map((e) => e.id));
    expect(written.map((r) => r.event_id).sort()).toEqual([apart[0]!.id, apart[2]!.id, apart[3]!.id].sort());
    expect(new Set(written.map((r) => r.txid)).size).toBe(3);
  });

  it('applies an event whose id came in upper case (the inbox answers ids in lower case)', async () => {
    const batcher = new InboxBatcher(t.db, 'q.case', 2);
    const upper = event(randomUUID().toUpperCase());
    const other = event();
    expect(
      await Promise.all([
        batcher.apply(upper, recording(upper.id)),
        batcher.apply(other, recording(other.id)),
      ]),
    ).toEqual([true, true]);
    expect(await appliedRows([upper.id.toLowerCase()])).toHaveLength(1);
  });

  it('runs each handler in its own caller’s context, whichever caller filled the batch', async () => {
    const key = createContextKey('caller');
    const batcher = new InboxBatcher(t.db, 'q.context', 3);
    const seen = new Map<string, unknown>();
    const events = Array.from({ length: 3 }, () => event());
    await Promise.all(
      events.map((e) =>
        context.with(context.active().setValue(key, e.id), () =>
          batcher.apply(e, async () => {
            seen.set(e.id, context.active().getValue(key));
          }),
        ),
      ),
    );
    for (const e of events) expect(seen.get(e.id)).toBe(e.id);
  });

  it('flushes a batch that does not fill after a short wait', async () => {
    const batcher = new InboxBatcher(t.db, 'q.wait', 100, 5);
    const e = event();
    expect(await batcher.apply(e, recording(e.id))).toBe(true);
  });
});
