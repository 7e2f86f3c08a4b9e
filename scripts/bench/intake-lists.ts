/**
 * The desk's lists over N dossiers: fills the intake's dossier table with N rows (one INSERT …
 * SELECT from generate_series: a provincial centre receiving most of them, eleven other agencies,
 * 128 procedures, two years of receipts, a realistic share still open, a paper hand-over step for
 * each paper dossier and inter-agency steps for 3%), then times each list through the intake's
 * own query (db/dossier.repository.ts listDossiers: first page and a deep keyset page) and prints
 * p50/p99 and the EXPLAIN (ANALYZE, BUFFERS) plan of each.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx scripts/bench/intake-lists.ts [N=200000] [runs=30] [--keep]
 *
 * Filling 5,000,000 takes a while: --keep leaves the filled database (its URL is printed), and
 * BENCH_LISTS_URL=<that URL> times the lists on it again without filling.
 */
import { addDays, createCalendar, vnDate, vnInstant } from '@tthc/calendar';
import { createDb } from '@tthc/db';
import pg from 'pg';
import {
  listDossiers,
  type DossierFilter,
  type DossierSort,
} from '../../services/intake/src/db/dossier.repository';
import { SCHEMA, type IntakeDb } from '../../services/intake/src/db/schema';
import { RUNNING_STATUSES } from '../../services/intake/src/domain/dossier-clock';
import { benchEnv } from './bench-env';

const N = Number(process.argv[2] ?? 200_000);
const RUNS = Number(process.argv[3] ?? 30);
const CENTRE = '000.20.17.H55';
const NOW = new Date('2026-11-24T03:00:00Z');

// The last statement a pg client sent, to EXPLAIN it as it ran.
let last: { text: string; values: unknown[] } | undefined;
const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const q = args[0] as { text?: string; values?: unknown[] } | string;
  if (typeof q === 'string') last = { text: q, values: (args[1] as unknown[] | undefined) ?? [] };
  else if (q?.text) last = { text: q.text, values: q.values ?? [] };
  return original.apply(this, args);
} as typeof pg.Client.prototype.query;

async function fill(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${SCHEMA},public` });
  await c.connect();
  const t0 = Date.now();
  // Agencies: the centre receives 60%, eleven others the rest; the deciding agency is one of four.
  await c.query(
    `insert into dossiers (id, code, procedure_code, procedure_version, procedure_name, field_code, agency_code,
       receiving_agency_code, channel, status, applicant_kind, applicant_name, applicant_contact, components,
       processing_time, rule_set_id, submitted_at, received_at, due_at, original_due_at, legal_due_at, ended_at,
       timeliness, version)
     select gen_random_uuid(), 'B-' || g, '1.' || lpad((g % 128)::text, 6, '0'), 1, 'Thủ tục ' || (g % 128), 'F' || (g % 9),
       '000.00.' || (10 + g % 4) || '.H55',
       case when g % 10 < 6 then '${CENTRE}' else '000.2' || (g % 11) || '.17.H55' end,
       (array['direct','online','postal'])[1 + g % 3], st, 'person', 'Nguyễn Văn ' || g, '{}'::jsonb, '[]'::jsonb,
       '{"value": 15, "unit": "working_days"}'::jsonb, 'ND118-2025',
       at, case when st = 'submitted' then null else at end,
       case when st = 'submitted' then null else at + interval '21 days' end,
       case when st = 'submitted' then null else at + interval '21 days' end,
       case when st = 'submitted' then null else at + interval '21 days' end,
       case when st in ('resolved','returned') then at + interval '15 days' end,
       case when st in ('resolved','returned') then 'on_time' end, 1
     from (
       select g, timestamptz '${NOW.toISOString()}' - (g::float8 / $1 * 730) * interval '1 day' as at,
         case
           when g::float8 / $1 < 0.04 then (array['received','processing','processing','awaiting_supplement','submitted'])[1 + g % 5]
           when g % 50 = 0 then 'processing'
           when g % 97 = 0 then 'withdrawn'
           else (array['resolved','returned'])[1 + g % 2]
         end as st
       from generate_series(1, $1) g) x`,
    [N],
  );
  await c.query(
    `insert into dossier_steps (dossier_id, seq, agency_code, task, mode, assigned_at, due_at, completed_at, foreign_agency)
     select id, 1, receiving_agency_code, 'transfer', 'internal', received_at, received_at + interval '1 day',
       case when status <> 'received' then received_at + interval '4 hours' end, false
     from dossiers where channel <> 'online' and received_at is not null`,
  );
  await c.query(
    `insert into dossier_steps (dossier_id, seq, agency_code, task, mode, assigned_at, due_at, completed_at, foreign_agency)
     select id, 2, '000.00.99.H55', 'inter-agency', 'parallel', received_at, received_at + interval '5 days',
       case when status not in ('received','processing') then received_at + interval '5 days' end, true
     from dossiers where received_at is not null and hashtext(id::text) % 33 = 0`,
  );
  await c.query('analyze dossiers');
  await c.query('analyze dossier_steps');
  console.log(`filled ${N} dossiers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await c.end();
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function main(): Promise<void> {
  const reuse = process.env['BENCH_LISTS_URL'];
  const keep = process.argv.includes('--keep') || Boolean(reuse);
  const env = reuse ? { url: reuse, drop: async () => undefined } : await benchEnv();
  try {
    if (!reuse) await fill(env.url);
    if (keep) console.log(`database kept: BENCH_LISTS_URL=${env.url}`);
    const db = createDb<IntakeDb>({
      connectionString: env.url,
      schema: SCHEMA,
      maxConnections: 2,
      jit: false,
      applicationName: 'intake-lists-bench',
    });
    const cal = createCalendar({ overrides: [] });
    const today = vnInstant(vnDate(NOW), '00:00');
    const in3 = vnInstant(addDays(cal.addWorkingDays(vnDate(NOW), 3), 1), '00:00');
    const scope = [CENTRE];
    const running = [...RUNNING_STATUSES];
    const lists: { name: string; f: DossierFilter; sort: DossierSort }[] = [
      { name: 'agency + status', f: { agencyCode: CENTRE, status: running }, sort: 'received' },
      { name: 'in scope, newest first', f: { visibleTo: scope }, sort: 'received' },
      { name: 'overdue now', f: { visibleTo: scope, status: running, dueBefore: today }, sort: 'due' },
      {
        name: 'due within 3 working days',
        f: { visibleTo: scope, status: running, dueFrom: today, dueBefore: in3 },
        sort: 'due',
      },
      {
        name: 'procedure + date range',
        f: {
          procedureCode: '1.000007',
          receivedFrom: new Date('2026-01-01T00:00:00+07:00'),
          receivedBefore: new Date('2026-04-01T00:00:00+07:00'),
        },
        sort: 'received',
      },
    ];
    console.log(`\n${'list'.padEnd(32)} ${'page'.padEnd(6)} rows   p50 ms   p99 ms`);
    const plans: string[] = [];
    for (const l of lists) {
      // A deep page: the cursor of the 40th page (2,000 rows in), found by walking to it once.
      let cursor: { at: string; id: string } | undefined;
      for (let i = 0; i < 40; i++) {
        const rows = await listDossiers(db, l.f, {
          sort: l.sort,
          limit: 50,
          ...(cursor ? { after: cursor } : {}),
        });
        if (rows.length <= 50) break;
        const r = rows[49]!;
        const at = l.sort === 'due' ? r.due_at : (r.received_at ?? r.submitted_at);
        cursor = { at: at!.toISOString(), id: r.id };
      }
      for (const [page, after] of [
        ['first', undefined],
        ['deep', cursor],
      ] as const) {
        if (page === 'deep' && !after) continue;
        const times: number[] = [];
        let n = 0;
        for (let i = 0; i < RUNS; i++) {
          const t0 = process.hrtime.bigint();
          const rows = await listDossiers(db, l.f, { sort: l.sort, limit: 50, ...(after ? { after } : {}) });
          times.push(Number(process.hrtime.bigint() - t0) / 1e6);
          n = rows.length;
        }
        console.log(
          `${l.name.padEnd(32)} ${page.padEnd(6)} ${String(n).padStart(4)} ${pct(times, 0.5).toFixed(2).padStart(8)} ${pct(times, 0.99).toFixed(2).padStart(8)}`,
        );
        const q = last!;
        const explain = new pg.Client({
          connectionString: env.url,
          application_name: 'intake-lists-bench',
          options: `-c search_path=${SCHEMA},public -c timezone=UTC -c jit=off`,
        });
        explain.on('error', () => undefined);
        await explain.connect();
        const { rows } = await explain.query<{ 'QUERY PLAN': string }>(
          `explain (analyze, buffers) ${q.text}`,
          q.values,
        );
        await explain.end();
        plans.push(`-- ${l.name}, ${page} page\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      }
    }
    console.log(`\n${plans.join('\n\n')}`);
    await db.destroy();
  } finally {
    if (!keep) await env.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
