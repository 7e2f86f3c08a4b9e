import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  DESK_SOFTWARE,
  eventually,
  identityHeaders,
  openTestResources,
  type TestResources,
} from '@tthc/testkit';
import { sql } from 'kysely';
import { seedDemoCatalogue } from '../../services/catalogue/src/seed/demo';
import { startWorkers as catalogueWorkers } from '../../services/catalogue/src/workers';
import { FILING } from '../support/filings';
import { freePort, kill, startService } from './support/service-process';

/**
 * Intake killed with SIGKILL while 1,000 filings are in flight from concurrent clients that retry
 * with the same Idempotency-Key until they get an answer: every acknowledged dossier exists once,
 * a key answers the same dossier before and after the crash, and every receipt event reaches kpi
 * once, kpi's consumer being killed mid-batch too and resuming. Intake and kpi run as real
 * processes (their built mains), restarted on the same ports; the catalogue's workers run in this
 * process on the same database and Redis.
 */

const FILINGS = 1_000;
const CLIENTS = 32;
const FILINGS_BODY = JSON.stringify(FILING);

let resources: TestResources<unknown>;
let workers: { close: () => Promise<void> }[] = [];
let intake: ChildProcess | undefined;
let kpi: ChildProcess | undefined;
let port = 0;
let kpiPort = 0;

interface Outcome {
  key: string;
  codes: string[];
}

/** One filing: the same key and body until an answer with a dossier comes (network errors and 5xx retried). */
async function fileUntilAnswered(key: string, deadline: number): Promise<Outcome> {
  const body = FILINGS_BODY;
  const codes: string[] = [];
  for (;;) {
    if (Date.now() > deadline) throw new Error(`filing ${key} got no answer before the deadline`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v1/dossiers`, {
        method: 'POST',
        headers: {
          ...(await identityHeaders(DESK_SOFTWARE)),
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const answer = (await res.json().catch(() => ({}))) as { code?: string };
      if ((res.status === 201 || res.status === 200) && answer.code) {
        codes.push(answer.code);
        // Asked once more after an answer: the same key names the same dossier.
        if (codes.length === 2) return { key, codes };
        continue;
      }
      if (res.status < 500 && res.status !== 409 && res.status !== 429)
        throw new Error(`filing ${key} refused: ${res.status} ${JSON.stringify(answer)}`);
    } catch (err) {
      if ((err as Error).message.startsWith('filing ')) throw err;
    }
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
  }
}

beforeAll(async () => {
  resources = await openTestResources<unknown>('intake');
  const catDb = resources.dbFor<any>('catalogue');
  await seedDemoCatalogue(
    { db: catDb, actor: 'demo-seed', requestId: null, clock: () => new Date() },
    resources.logger,
  );
  const { bus, logger } = resources;
  workers = [catalogueWorkers({ db: catDb, bus, logger })];
  port = await freePort();
  kpiPort = await freePort();
  [intake, kpi] = await Promise.all([
    startService('intake', port, resources),
    startService('kpi', kpiPort, resources),
  ]);
  // The intake learns of the demo procedures from the catalogue (events, or a question over a job).
  await eventually(
    async () => {
      const r = await fileUntilAnswered(randomUUID(), Date.now() + 30_000).catch(() => undefined);
      return r ? true : undefined;
    },
    { what: 'a first dossier of the demo procedure', timeoutMs: 60_000 },
  );
}, 120_000);

afterAll(async () => {
  intake?.kill('SIGKILL');
  kpi?.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.close()));
  await resources?.close();
}, 60_000);

describe('intake and kpi killed with SIGKILL under load', () => {
  it('loses no acknowledged dossier, makes none twice, and kpi counts each once', async () => {
    const intakeDb = resources.dbFor<any>('intake');
    const before = Number(
      (await sql<{ n: string }>`select count(*) as n from dossiers`.execute(intakeDb)).rows[0]!.n,
    );
    const keys = Array.from({ length: FILINGS }, () => randomUUID());
    const deadline = Date.now() + 240_000;
    let next = 0;
    const outcomes: Outcome[] = [];
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        outcomes.push(await fileUntilAnswered(key, deadline));
      }
    });

    // Mid-stream: intake killed twice, kpi's consumer once between, each brought back on its port.
    const crashes = [
      { after: FILINGS * 0.25, service: 'intake' },
      { after: FILINGS * 0.4, service: 'kpi' },
      { after: FILINGS * 0.6, service: 'intake' },
    ] as const;
    for (const { after, service } of crashes) {
      await eventually(async () => (outcomes.length >= after ? true : undefined), {
        what: `${after} filings answered`,
        timeoutMs: 180_000,
      });
      if (service === 'intake') {
        await kill(intake!);
        intake = await startService('intake', port, resources);
      } else {
        await kill(kpi!);
        kpi = await startService('kpi', kpiPort, resources);
      }
    }
    await Promise.all(clients);

    // Each key named one dossier, before and after the crash.
    expect(outcomes).toHaveLength(FILINGS);
    expect(outcomes.filter((o) => o.codes[0] !== o.codes[1])).toEqual([]);
    const acknowledged = new Set(outcomes.map((o) => o.codes[0]!));
    expect(acknowledged.size).toBe(FILINGS);

    // Every acknowledged dossier exists exactly once; nothing else was made.
    const rows = await sql<{ code: string }>`select code from dossiers`.execute(intakeDb);
    expect(rows.rows.length - before).toBe(FILINGS);
    const stored = new Set(rows.rows.map((r) => r.code));
    expect([...acknowledged].filter((c) => !stored.has(c))).toEqual([]);

    // Every receipt reached kpi, once: one event each in its log, and the daily rollup counts each once.
    const kpiDb = resources.dbFor<any>('kpi');
    const total = before + FILINGS;
    await eventually(
      async () => {
        const r = await sql<{ n: string }>`
          select count(*) as n from dossier_events where type = 'dossier.received'`.execute(kpiDb);
        return Number(r.rows[0]!.n) === total ? true : undefined;
      },
      { what: 'every receipt event in kpi', timeoutMs: 120_000 },
    );
    await eventually(
      async () => {
        const r = await sql<{ n: string | null }>`
          select sum(received) as n from rollup_received_daily`.execute(kpiDb);
        return Number(r.rows[0]!.n ?? 0) === total ? true : undefined;
      },
      { what: 'the received rollup to count every dossier once', timeoutMs: 120_000 },
    );
    const facts = await sql<{ n: string; d: string }>`
      select count(*) as n, count(distinct code) as d from dossiers`.execute(kpiDb);
    expect({ n: Number(facts.rows[0]!.n), d: Number(facts.rows[0]!.d) }).toEqual({ n: total, d: total });
  }, 400_000);
});
