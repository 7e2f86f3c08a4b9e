/**
 * A province-year of one-stop dossiers, generated in bulk (issue 12 item 4, issue 13 Speed):
 * the demo catalogue (agencies, fields, 128 procedures) loaded through the catalogue's own import
 * and its procedure events applied by intake and kpi as their consumers would; then N dossiers
 * with a realistic channel mix, supplements, payment waits, reschedules, inter-agency steps,
 * results, returns and ratings, each drawn step by step with intake's own due-date and judgement
 * rules; written with COPY into intake's real tables (dossiers, history, supplements, steps,
 * payments, ratings, the outbox as already relayed) and kpi's (the event log, which is also its
 * inbox for dossier events, the facts folded by kpi's own code, the daily rollups), so both
 * services read the same story.
 *
 *   DATABASE_URL=postgres://... npx tsx scripts/generate/province-year.ts --dossiers 10000 [--year 2026] [--seed 1] [--reset]
 */
import {
  createCalendar,
  OFFICIAL_DAYS_2024_2026,
  vnDate,
  vnInstant,
  type CivilDate,
  type WorkingCalendar,
} from '@tthc/calendar';
import { applyOnce, envelopeOf, type OutboxEventRow } from '@tthc/bus';
import {
  parseEvent,
  queues,
  type DossierComponent,
  type EventType,
  type InterAgency,
  type ProcedureMethod,
  type TypedEvent,
} from '@tthc/contracts';
import { createDb, migrateSchema, type Db } from '@tthc/db';
import { createLogger } from '@tthc/service-kit';
import { sql } from 'kysely';
import pg from 'pg';
import * as catalogueSchema from '../../services/catalogue/src/db/migrations';
import { seedDemoCatalogue } from '../../services/catalogue/src/seed/demo';
import { ruleSetOn, SEEDED_RULE_SETS } from '../../services/intake/src/calendar';
import { copyPublishedVersion } from '../../services/intake/src/commands/procedure-copy.command';
import * as intakeSchema from '../../services/intake/src/db/migrations';
import type { ProcedureVersionCopy } from '../../services/intake/src/db/procedure.repository';
import * as kpiSchema from '../../services/kpi/src/db/migrations';
import { timelineChildRows, timelineRow } from '../../services/kpi/src/db/dossier.repository';
import { insertLateRows, insertRollupRows } from '../../services/kpi/src/db/rollup.repository';
import { compactStockDeltas } from '../../services/kpi/src/db/stock.repository';
import {
  accumulateContributions,
  contributionsOf,
  type Contribution,
} from '../../services/kpi/src/domain/contributions';
import { lateChangesOf } from '../../services/kpi/src/domain/late-changes';
import { foldDossier } from '../../services/kpi/src/domain/timeline';
import { kpiCalendar } from '../../services/kpi/src/domain/working-calendar';
import { derivedColumns } from '../../services/kpi/src/facts/derived';
import { kpiEventHandlers } from '../../services/kpi/src/facts/handlers';
import { copyRows } from './copy';
import { drawDossier } from './dossier-life';
import type { GeneratedDossier, Procedure, StoryContext } from './dossier-story';
import { Random } from './random';

export interface GenerateOptions {
  databaseUrl: string;
  /** Dossiers filed over the year (some refused at acceptance: they are filed, never received). */
  dossiers: number;
  year?: number;
  seed?: number;
  /** The instant the data stands at (default: the end of the year's last day, Việt Nam time). */
  now?: Date;
  /** Empties the dossier tables of intake and kpi first (else a database with dossiers is refused). */
  reset?: boolean;
  batchSize?: number;
  log?: (line: string) => void;
}

export interface GenerateReport {
  dossiers: number;
  received: number;
  events: number;
  seconds: number;
  now: string;
}

const COLUMNS = {
  dossiers: [
    'id',
    'code',
    'reference',
    'procedure_code',
    'procedure_version',
    'procedure_name',
    'field_code',
    'agency_code',
    'receiving_agency_code',
    'channel',
    'home_service',
    'population_data_used',
    'status',
    'applicant_kind',
    'applicant_name',
    'applicant_contact',
    'applicant_phone',
    'applicant_id_number',
    'components',
    'case_name',
    'fees_due',
    'processing_time',
    'rule_set_id',
    'submitted_at',
    'received_at',
    'due_at',
    'original_due_at',
    'legal_due_at',
    'waiting_since',
    'ended_at',
    'timeliness',
    'current_unit',
    'current_officer',
    'supplement_count',
    'reschedule_count',
    'result',
    'return_info',
    'source_system',
    'source_id',
    'version',
    'created_at',
    'updated_at',
  ],
  history: [
    'dossier_id',
    'dossier_version',
    'action',
    'from_status',
    'to_status',
    'actor',
    'actor_role',
    'actor_agency',
    'at',
    'payload',
  ],
  supplements: [
    'dossier_id',
    'requested_at',
    'reason',
    'items',
    'within_legal_window',
    'due_at_before',
    'completed_at',
    'due_at_after',
  ],
  steps: [
    'dossier_id',
    'seq',
    'agency_code',
    'unit',
    'officer',
    'task',
    'mode',
    'assigned_at',
    'due_at',
    'completed_at',
    'outcome',
    'completed_by',
    'note',
  ],
  payments: ['id', 'dossier_id', 'amount', 'method', 'online', 'receipt_number', 'paid_at', 'recorded_by'],
  ratings: ['dossier_id', 'rating', 'comment', 'rated_at'],
  outbox: [
    'id',
    'type',
    'source',
    'entity_id',
    'entity_version',
    'schema_version',
    'payload',
    'request_id',
    'occurred_at',
    'attempts',
    'available_at',
    'sent_at',
    'last_error',
  ],
  kpiEvents: [
    'event_id',
    'type',
    'dossier_id',
    'dossier_version',
    'agency_code',
    'field_code',
    'channel',
    'occurred_at',
    'schema_version',
    'payload',
  ],
  waits: ['dossier_id', 'seq', 'kind', 'started_at', 'ended_at', 'within_legal_window'],
  dueDates: ['dossier_id', 'version', 'at', 'legal_due_at', 'due_at'],
} as const;

interface Dbs {
  catalogue: Db<any>;
  intake: Db<any>;
  kpi: Db<any>;
}

/** Migrates the three schemas the generator writes (as each service does at start). */
async function migrate(dbs: Dbs): Promise<void> {
  await migrateSchema(dbs.catalogue, catalogueSchema.SCHEMA, catalogueSchema.migrations);
  await migrateSchema(dbs.intake, intakeSchema.SCHEMA, intakeSchema.migrations);
  await migrateSchema(dbs.kpi, kpiSchema.SCHEMA, kpiSchema.migrations);
}

/**
 * The demo catalogue through the catalogue's own import (published before the year), and its
 * procedure events applied by intake and kpi exactly as their consumers apply them (once each).
 */
async function loadCatalogue(dbs: Dbs, year: number): Promise<void> {
  const clock = () => new Date(`${year - 1}-11-02T02:00:00Z`);
  await seedDemoCatalogue(
    { db: dbs.catalogue, actor: 'generator', requestId: null, clock },
    createLogger('generate', 'warn'),
  );
  const pending = await dbs.catalogue
    .selectFrom('outbox')
    .selectAll()
    .where('sent_at', 'is', null)
    .orderBy('occurred_at')
    .orderBy('entity_version')
    .execute();
  for (const row of pending) {
    const type = row.type as EventType;
    if (!type.startsWith('procedure.')) continue;
    const event = parseEvent(envelopeOf(row as OutboxEventRow));
    if (type === 'procedure.published' || type === 'procedure.changed') {
      const e = event as TypedEvent<'procedure.published'>;
      await applyOnce(dbs.intake, queues.intakeEvents, e, (tx) =>
        copyPublishedVersion(tx, e.payload, e.entityVersion),
      );
    }
    const handler = kpiEventHandlers[type as keyof typeof kpiEventHandlers] as
      ((e: TypedEvent<EventType>, tx: unknown) => Promise<void>) | undefined;
    if (handler) await applyOnce(dbs.kpi, queues.kpiEvents, event, (tx) => handler(event, tx));
  }
  await dbs.catalogue
    .updateTable('outbox')
    .set({ sent_at: new Date(), attempts: 1 })
    .where('sent_at', 'is', null)
    .execute();
}

/** The procedure versions intake holds, each with a popularity weight (a few procedures take most dossiers). */
async function procedures(db: Db<any>, rng: Random): Promise<[Procedure, number][]> {
  const rows = (await db
    .selectFrom('procedure_versions')
    .selectAll()
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute()) as ProcedureVersionCopy[];
  // The latest version of each procedure (rows come newest first).
  const byCode = new Map<string, ProcedureVersionCopy>();
  for (const r of rows) if (!byCode.has(r.code)) byCode.set(r.code, r);
  const list = [...byCode.values()];
  // Shuffle, then a Zipf-like popularity over the shuffled order.
  for (let i = list.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list
    .filter((r) => (r.methods as ProcedureMethod[]).length > 0)
    .map((row, rank) => [
      {
        row,
        methods: row.methods as ProcedureMethod[],
        components: (row.components as DossierComponent[]) ?? [],
        interAgency: (row.inter_agency as InterAgency | null) ?? null,
      },
      1 / Math.pow(rank + 1, 0.8),
    ]);
}

/** The working days of the year up to now, weighted: Mondays busier, the Tết weeks quieter. */
function receiptDays(cal: WorkingCalendar, year: number, now: Date): [CivilDate, number][] {
  const days: [CivilDate, number][] = [];
  const last = vnDate(now);
  for (let d = `${year}-01-01`; d <= last && d.startsWith(String(year));) {
    if (cal.isWorkingDay(d)) {
      const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
      days.push([d, weekday === 1 ? 1.3 : weekday === 6 ? 0.5 : 1]);
    }
    const next = new Date(`${d}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    d = next.toISOString().slice(0, 10);
  }
  return days;
}

type Rollup = Contribution<string>;
const accumulate = accumulateContributions<Rollup & { changedDay?: string }>;

const INTAKE_DEFAULTS = {
  reference: null,
  home_service: false,
  population_data_used: false,
  case_name: null,
  received_at: null,
  due_at: null,
  original_due_at: null,
  legal_due_at: null,
  waiting_since: null,
  ended_at: null,
  timeliness: null,
  current_unit: null,
  current_officer: null,
  supplement_count: 0,
  reschedule_count: 0,
  result: null,
  return_info: null,
  source_system: null,
  source_id: null,
};

/** Writes one batch of generated dossiers to intake and kpi in one transaction. */
async function writeBatch(
  client: pg.PoolClient,
  batch: GeneratedDossier[],
  rollups: Record<'received' | 'ended' | 'receivedLate' | 'endedLate', Map<string, Rollup>>,
  agencies: Set<string>,
): Promise<number> {
  const cal = kpiCalendar();
  const rows = {
    dossiers: [] as Record<string, unknown>[],
    history: [] as Record<string, unknown>[],
    supplements: [] as Record<string, unknown>[],
    steps: [] as Record<string, unknown>[],
    payments: [] as Record<string, unknown>[],
    ratings: [] as Record<string, unknown>[],
    outbox: [] as Record<string, unknown>[],
    kpiEvents: [] as Record<string, unknown>[],
    facts: [] as Record<string, unknown>[],
    waits: [] as Record<string, unknown>[],
    dueDates: [] as Record<string, unknown>[],
  };
  let events = 0;
  for (const g of batch) {
    rows.dossiers.push({ ...INTAKE_DEFAULTS, ...g.dossier });
    rows.history.push(...g.history);
    rows.supplements.push(...g.supplements);
    rows.steps.push(...g.steps);
    rows.payments.push(...g.payments);
    if (g.rating) rows.ratings.push(g.rating);
    for (const e of g.events) {
      const at = new Date(e.occurredAt);
      const sent = new Date(at.getTime() + 40);
      rows.outbox.push({
        id: e.id,
        type: e.type,
        source: e.source,
        entity_id: e.entityId,
        entity_version: e.entityVersion,
        schema_version: e.schemaVersion,
        payload: e.payload,
        request_id: null,
        occurred_at: at,
        attempts: 1,
        available_at: at,
        sent_at: sent,
        last_error: null,
      });
      rows.kpiEvents.push({
        event_id: e.id,
        type: e.type,
        dossier_id: e.payload.dossierId,
        dossier_version: e.entityVersion,
        agency_code: e.payload.agencyCode,
        field_code: e.payload.fieldCode,
        channel: e.payload.channel,
        occurred_at: at,
        schema_version: e.schemaVersion,
        payload: e.payload,
      });
      agencies.add(e.payload.agencyCode).add(e.payload.receivingAgencyCode);
      events++;
    }
    // kpi's facts, folded by kpi's own code from the events it would have received.
    const t = foldDossier(g.events);
    if (!t) continue;
    const d = derivedColumns(t, cal);
    rows.facts.push({ ...timelineRow(t, d), updated_at: g.dossier.updated_at });
    const children = timelineChildRows(t);
    rows.waits.push(...children.waits);
    rows.dueDates.push(...children.dueDates);
    const c = contributionsOf(t, cal);
    accumulate(rollups.received, c.received);
    accumulate(rollups.ended, c.ended);
    const late = lateChangesOf(t, cal);
    accumulate(rollups.receivedLate, late.received);
    accumulate(rollups.endedLate, late.ended);
  }
  const factColumns = rows.facts[0] ? Object.keys(rows.facts[0]) : [];
  await client.query('begin');
  try {
    await copyRows(client, 'intake', 'dossiers', COLUMNS.dossiers, rows.dossiers);
    await copyRows(client, 'intake', 'dossier_history', COLUMNS.history, rows.history);
    await copyRows(client, 'intake', 'dossier_supplements', COLUMNS.supplements, rows.supplements);
    await copyRows(client, 'intake', 'dossier_steps', COLUMNS.steps, rows.steps);
    await copyRows(client, 'intake', 'dossier_payments', COLUMNS.payments, rows.payments);
    await copyRows(client, 'intake', 'dossier_ratings', COLUMNS.ratings, rows.ratings);
    await copyRows(client, 'intake', 'outbox', COLUMNS.outbox, rows.outbox);
    await copyRows(client, 'kpi', 'dossier_events', COLUMNS.kpiEvents, rows.kpiEvents);
    await copyRows(client, 'kpi', 'dossiers', factColumns, rows.facts);
    await copyRows(client, 'kpi', 'dossier_waits', COLUMNS.waits, rows.waits);
    await copyRows(client, 'kpi', 'dossier_due_dates', COLUMNS.dueDates, rows.dueDates);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
  return events;
}

async function reset(client: pg.PoolClient): Promise<void> {
  await client.query(`
    truncate intake.dossiers, intake.dossier_serials cascade;
    delete from intake.outbox where type like 'dossier.%';
    truncate kpi.dossier_events, kpi.dossiers, kpi.rollup_received_daily, kpi.rollup_ended_daily, kpi.rollup_received_late, kpi.rollup_ended_late, kpi.stock_deltas cascade;
    delete from kpi.processed_events where event_type like 'dossier.%';`);
}

export async function generateProvinceYear(o: GenerateOptions): Promise<GenerateReport> {
  const started = Date.now();
  const year = o.year ?? 2026;
  const now = o.now ?? vnInstant(`${year}-12-31`, '23:59');
  const rng = new Random(o.seed ?? 1);
  const log = o.log ?? (() => undefined);
  const dbs: Dbs = {
    catalogue: createDb<any>({
      connectionString: o.databaseUrl,
      schema: 'catalogue',
      applicationName: 'generate',
    }),
    intake: createDb<any>({ connectionString: o.databaseUrl, schema: 'intake', applicationName: 'generate' }),
    kpi: createDb<any>({ connectionString: o.databaseUrl, schema: 'kpi', applicationName: 'generate' }),
  };
  // Tables are named with their schema; intake's triggers name theirs without, as its services do.
  const pool = new pg.Pool({
    connectionString: o.databaseUrl,
    max: 1,
    application_name: 'generate-copy',
    options: '-c search_path=intake,public -c timezone=UTC',
  });
  const client = await pool.connect();
  try {
    await migrate(dbs);
    if (o.reset) await reset(client);
    const existing = await dbs.intake
      .selectFrom('dossiers')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirst();
    if ((existing?.n ?? 0) > 0)
      throw new Error(
        `intake already holds ${existing?.n} dossiers: generate into an empty database, or pass --reset`,
      );
    await loadCatalogue(dbs, year);
    const procs = await procedures(dbs.intake, rng);
    if (procs.length === 0) throw new Error('no procedure versions in intake: the catalogue did not load');
    const cal = createCalendar({ overrides: OFFICIAL_DAYS_2024_2026 });
    const days = receiptDays(cal, year, now);
    const ruleSet = ruleSetOn(SEEDED_RULE_SETS, `${year}-01-01`);
    if (!ruleSet) throw new Error(`no rule set in force in ${year}`);
    const serials = new Map<string, number>();
    const ctx: StoryContext = {
      rng,
      cal,
      rules: ruleSet.params,
      ruleSetId: ruleSet.id,
      now,
      references: new Set(),
      nextSerial: (agency, day) => {
        const key = `${agency}|${day}`;
        const n = (serials.get(key) ?? 0) + 1;
        serials.set(key, n);
        return n;
      },
    };
    const rollups = {
      received: new Map<string, Rollup>(),
      ended: new Map<string, Rollup>(),
      receivedLate: new Map<string, Rollup>(),
      endedLate: new Map<string, Rollup>(),
    };
    const agencies = new Set<string>();
    const batchSize = o.batchSize ?? 5000;
    let events = 0;
    let received = 0;
    for (let done = 0; done < o.dossiers;) {
      const n = Math.min(batchSize, o.dossiers - done);
      const batch: GeneratedDossier[] = [];
      for (let i = 0; i < n; i++) {
        const g = drawDossier(ctx, rng.weighted(procs), rng.weighted(days));
        if (g.dossier.received_at) received++;
        batch.push(g);
      }
      events += await writeBatch(client, batch, rollups, agencies);
      done += n;
      if (done % (batchSize * 20) === 0 || done === o.dossiers)
        log(`${done} dossiers, ${events} events (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    await copyRows(
      client,
      'intake',
      'dossier_serials',
      ['agency_code', 'day', 'last_serial'],
      [...serials].map(([key, last]) => {
        const [agency_code, day] = key.split('|');
        return { agency_code, day, last_serial: last };
      }),
    );
    // Each COPY appended its stock changes (migration 202612070101): one row per key again.
    await compactStockDeltas(dbs.kpi, 2_147_483_647);
    await insertRollupRows(dbs.kpi, 'received', [...rollups.received.values()] as never);
    await insertRollupRows(dbs.kpi, 'ended', [...rollups.ended.values()] as never);
    await insertLateRows(dbs.kpi, 'received', [...rollups.receivedLate.values()] as never);
    await insertLateRows(dbs.kpi, 'ended', [...rollups.endedLate.values()] as never);
    if (agencies.size > 0)
      await dbs.kpi
        .insertInto('agencies_seen')
        .values([...agencies].map((code) => ({ code })))
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
    await client.query(
      'analyze intake.dossiers, intake.dossier_history, kpi.dossiers, kpi.dossier_events, kpi.dossier_waits, kpi.dossier_due_dates, kpi.rollup_received_daily, kpi.rollup_ended_daily, kpi.stock_deltas',
    );
    return {
      dossiers: o.dossiers,
      received,
      events,
      seconds: (Date.now() - started) / 1000,
      now: now.toISOString(),
    };
  } finally {
    client.release();
    await pool.end();
    await Promise.all(Object.values(dbs).map((db) => db.destroy()));
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) {
    console.error('DATABASE_URL is required (a database the services migrate: catalogue, intake, kpi)');
    process.exit(2);
  }
  const dossiers = Number(arg('dossiers') ?? '10000');
  if (!Number.isInteger(dossiers) || dossiers < 1) {
    console.error('--dossiers: a positive integer');
    process.exit(2);
  }
  generateProvinceYear({
    databaseUrl,
    dossiers,
    year: Number(arg('year') ?? '2026'),
    seed: Number(arg('seed') ?? '1'),
    reset: process.argv.includes('--reset'),
    log: (line) => console.log(line),
  }).then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
