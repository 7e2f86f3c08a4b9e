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
import { Client } from 'pg';
import { seedDemoCatalogue } from '../../services/catalogue/src/seed/demo';
import { startWorkers as catalogueWorkers } from '../../services/catalogue/src/workers';
import { FILING } from '../support/filings';
import { freePort, kill, startService } from './support/service-process';

/**
 * Postgres goes away under a running intake and comes back, as a restart of the server looks
 * from the service: every connection of the database is cut and new ones are refused for a few
 * seconds. Meanwhile /ready says Postgres is down and a filing gets a 503 problem, not a 500 and
 * not a half-written dossier; afterwards the service reconnects by itself, is ready again, files
 * dossiers, and relays the events it committed. Only this test file's database is touched.
 */

const OUTAGE_MS = 4_000;
let resources: TestResources<unknown>;
let workers: { close: () => Promise<void> }[] = [];
let intake: ChildProcess | undefined;
let port = 0;
let admin: Client;
let database = '';

async function file(key = randomUUID()) {
  const res = await fetch(`http://127.0.0.1:${port}/v1/dossiers`, {
    method: 'POST',
    // Asserted afresh for each request, as the gateway does (an assertion lives 60 s).
    headers: {
      ...(await identityHeaders(DESK_SOFTWARE)),
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify(FILING),
    signal: AbortSignal.timeout(15_000),
  });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: (await res.json()) as { code?: string; status?: number } };
}

async function ready() {
  const res = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as { checks?: Record<string, string> } };
}

beforeAll(async () => {
  resources = await openTestResources<unknown>('intake');
  database = new URL(resources.databaseUrl).pathname.slice(1);
  admin = new Client({ connectionString: resources.databaseUrl.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
  await admin.connect();
  const catDb = resources.dbFor<any>('catalogue');
  await seedDemoCatalogue(
    { db: catDb, actor: 'demo-seed', requestId: null, clock: () => new Date() },
    resources.logger,
  );
  workers = [catalogueWorkers({ db: catDb, bus: resources.bus, logger: resources.logger })];
  port = await freePort();
  intake = await startService('intake', port, resources);
  await eventually(async () => ((await file()).status === 201 ? true : undefined), {
    what: 'a first dossier of the demo procedure',
    timeoutMs: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await admin?.query(`alter database "${database}" allow_connections true`).catch(() => undefined);
  await admin?.end();
  if (intake) await kill(intake);
  await Promise.all(workers.map((w) => w.close()));
  await resources?.close();
}, 60_000);

describe('Postgres restarted under a running intake', () => {
  it('reports not ready and answers 503 meanwhile, then reconnects by itself and delivers what it committed', async () => {
    const intakeDb = resources.dbFor<any>('intake');
    const count = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from dossiers`.execute(intakeDb)).rows[0]!.n);
    const before = await count();

    await admin.query(`alter database "${database}" allow_connections false`);
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
      [database],
    );
    const outageEnds = Date.now() + OUTAGE_MS;
    try {
      const down = await eventually(
        async () => {
          const r = await ready();
          return r.status === 503 ? r : undefined;
        },
        { what: '/ready to report Postgres down', timeoutMs: OUTAGE_MS },
      );
      expect(down.body.checks?.['postgres']).toBe('down');
      const refused = await file();
      expect({ status: refused.status, type: refused.type }).toEqual({
        status: 503,
        type: expect.stringContaining('application/problem+json'),
      });
    } finally {
      await new Promise((r) => setTimeout(r, Math.max(0, outageEnds - Date.now())));
      await admin.query(`alter database "${database}" allow_connections true`);
    }

    await eventually(async () => ((await ready()).status === 200 ? true : undefined), {
      what: 'intake to be ready again',
      timeoutMs: 30_000,
    });
    const after = await file();
    expect(after.status).toBe(201);
    // The refused filing left nothing behind; the accepted one is there, and its events leave the outbox.
    expect(await count()).toBe(before + 1);
    await eventually(
      async () => {
        const r = await sql<{ n: string }>`
          select count(*) as n from outbox where sent_at is null`.execute(intakeDb);
        return Number(r.rows[0]!.n) === 0 ? true : undefined;
      },
      { what: 'the outbox to be relayed', timeoutMs: 30_000 },
    );
  }, 120_000);
});
