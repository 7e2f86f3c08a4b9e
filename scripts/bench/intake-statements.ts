/**
 * Counts the SQL statements (BEGIN and COMMIT included) the intake sends to Postgres for one
 * desk receipt, one portal submission, the acceptance of that submission and an idempotent retry,
 * on a real Postgres (TEST_DATABASE_URL) with the test harness's intake app. Every query that
 * reaches a pg client is counted (pg.Client.prototype.query wrapped), and the longest time the
 * receipt transaction held the agency's serial row is not measured here (see intake-throughput).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 \
 *     npx tsx scripts/bench/intake-statements.ts [rounds=5] [--log]
 */
import pg from 'pg';
import { desk, startIntake } from '../../services/intake/test/harness';
import { benchEnv } from './bench-env';

const rounds = Number(process.argv[2] ?? 5);
const log = process.argv.includes('--log');

let counting = false;
let statements: string[] = [];
const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (counting) {
    const q = args[0];
    const text = typeof q === 'string' ? q : ((q as { text?: string })?.text ?? '?');
    statements.push(text.replace(/\s+/g, ' ').slice(0, 110));
  }
  return original.apply(this, args);
} as typeof pg.Client.prototype.query;

async function measure(label: string, run: () => Promise<{ statusCode: number }>, expect: number) {
  const counts: number[] = [];
  for (let i = 0; i < rounds; i++) {
    statements = [];
    counting = true;
    const res = await run();
    counting = false;
    if (res.statusCode !== expect) throw new Error(`${label}: HTTP ${res.statusCode}, expected ${expect}`);
    counts.push(statements.length);
    if (log && i === rounds - 1) for (const s of statements) console.log(`    ${s}`);
  }
  const first = counts[0];
  const rest = counts.slice(1);
  console.log(
    `${label.padEnd(28)} first ${String(first).padStart(3)}   then ${rest.length ? `${Math.min(...rest)}–${Math.max(...rest)}` : '-'} statements`,
  );
}

async function main(): Promise<void> {
  const env = await benchEnv();
  const h = await startIntake('2026-11-23T02:00:00Z');
  try {
    await measure('desk receipt', () => h.call('POST', '/v1/dossiers', desk()), 201);
    await measure(
      'portal submission',
      () => h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' })),
      201,
    );
    // Acceptance: a fresh submission each round, accepted with its ETag (the GET is not counted).
    const counts: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const sub = await h.call('POST', '/v1/dossiers', desk({ source: 'portal', channel: 'online' }));
      const ref = (sub.json() as { code: string }).code;
      const current = await h.call('GET', `/v1/dossiers/${ref}`);
      statements = [];
      counting = true;
      const res = await h.call(
        'POST',
        `/v1/dossiers/${ref}/accept`,
        {},
        {
          'if-match': current.headers.etag as string,
        },
      );
      counting = false;
      if (res.statusCode !== 200) throw new Error(`accept: HTTP ${res.statusCode} ${res.body}`);
      counts.push(statements.length);
      if (log && i === rounds - 1) for (const s of statements) console.log(`    ${s}`);
    }
    console.log(
      `${'acceptance'.padEnd(28)} first ${String(counts[0]).padStart(3)}   then ${Math.min(...counts.slice(1))}–${Math.max(...counts.slice(1))} statements`,
    );
    let n = 0;
    const key = () => `bench-key-${process.pid}-${n}`;
    await measure(
      'desk receipt with a key',
      () => {
        n++;
        return h.call('POST', '/v1/dossiers', desk(), { 'idempotency-key': key() });
      },
      201,
    );
    await measure(
      'idempotent retry',
      () => h.call('POST', '/v1/dossiers', desk(), { 'idempotency-key': key() }),
      201,
    );
  } finally {
    await h.close();
    await env.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
