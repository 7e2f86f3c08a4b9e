import { decodePayload, type EventType } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Scope } from '../domain/scope';
import type { DossierEvent, DossierTimeline } from '../domain/timeline';
import type { DossierTable, KpiDb } from './schema';

/** Columns derived from a timeline by the domain (kept on the row so SQL can filter on them). */
export interface DerivedColumns {
  receivedDay: string | null;
  endedAt: Date | null;
  endedDay: string | null;
  endKind: string | null;
  legalOutcome: string | null;
  indicatorOutcome: string | null;
  legalDueDate: string | null;
  supplementRequests: number;
  /** Inclusive first and last day of the open span; until null: still open. */
  openSpan: { from: string; until: string | null } | null;
  /** The stocks' days (domain/stock-spans.ts), as range and multirange literals. */
  progressSpan: string | null;
  legalOverdueDays: string;
  indOverdueDays: string;
  /** Its late changes are written with it (domain/late-changes.ts). */
  lateKept: boolean;
}

/** Serializes the dossier's event handling across workers and replicas for one transaction. */
export async function lockDossier(db: Executor<KpiDb>, dossierId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${dossierId}, 13))`.execute(db);
}

/** Locks several dossiers for the transaction, in id order (so transactions locking several never deadlock). */
export async function lockDossiers(db: Executor<KpiDb>, dossierIds: readonly string[]): Promise<void> {
  const ids = [...new Set(dossierIds)].sort();
  if (ids.length === 0) return;
  if (ids.length === 1) return lockDossier(db, ids[0] as string);
  // One statement: the (volatile) lock calls run after the sort, so in id order.
  await sql`select pg_advisory_xact_lock(hashtextextended(u.id, 13))
    from unnest(${ids}::text[]) with ordinality as u(id, n) order by u.n`.execute(db);
}

/**
 * Takes dossier events into a transaction in one statement: locks their dossiers in id order,
 * logs them (those logged already are left as they are) and notes their agencies. Returns the
 * ids of the events the log did not hold yet. The log's key is the event's id, so it is the
 * consumer's inbox for dossier events as well: an event delivered again is logged once, and
 * folding its dossier again changes nothing (no second row per event in processed_events).
 */
export async function takeDossierEvents(
  db: Executor<KpiDb>,
  events: readonly { event: DossierEvent; schemaVersion: number }[],
): Promise<Set<string>> {
  const unique = [...new Map(events.map((e) => [e.event.id, e])).values()];
  if (unique.length === 0) return new Set();
  const rows = unique.map(({ event: e, schemaVersion }) => ({
    event_id: e.id,
    type: e.type,
    dossier_id: e.payload.dossierId,
    dossier_version: e.entityVersion,
    agency_code: e.payload.agencyCode,
    field_code: e.payload.fieldCode,
    channel: e.payload.channel,
    occurred_at: new Date(e.occurredAt).toISOString(),
    schema_version: schemaVersion,
    payload: e.payload,
  }));
  const ids = [...new Set(unique.map((e) => e.event.payload.dossierId))].sort();
  const agencies = [
    ...new Set(unique.flatMap((e) => [e.event.payload.agencyCode, e.event.payload.receivingAgencyCode])),
  ].sort();
  const { rows: out } = await sql<{ fresh: string[] | null }>`
    with r as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(event_id uuid, type text,
        dossier_id uuid, dossier_version integer, agency_code text, field_code text, channel text,
        occurred_at timestamptz, schema_version integer, payload jsonb)),
    locks as (
      select pg_advisory_xact_lock(hashtextextended(u.id, 13)) as l
      from unnest(${ids}::text[]) with ordinality as u(id, n) order by u.n),
    logged as (
      insert into dossier_events (event_id, type, dossier_id, dossier_version, agency_code, field_code,
        channel, occurred_at, schema_version, payload)
      select event_id, type, dossier_id, dossier_version, agency_code, field_code, channel, occurred_at,
        schema_version, payload from r
      on conflict (event_id) do nothing returning event_id),
    seen as (
      insert into agencies_seen (code) select c from unnest(${agencies}::text[]) as c order by c
      on conflict (code) do nothing returning 1)
    select (select array_agg(event_id::text) from logged) as fresh,
      (select count(*) from locks) as locked, (select count(*) from seen) as seen`.execute(db);
  return new Set(out[0]?.fresh ?? []);
}

function eventOf(r: Selectable<KpiDb['dossier_events']>): DossierEvent {
  return {
    id: r.event_id,
    type: r.type as EventType,
    schemaVersion: r.schema_version,
    source: 'intake',
    entityId: r.dossier_id,
    entityVersion: r.dossier_version,
    occurredAt: r.occurred_at.toISOString(),
    requestId: null,
    payload: decodePayload(r.type as EventType, r.schema_version, r.payload),
  } as DossierEvent;
}

type Row = Selectable<DossierTable>;

function toTimeline(
  r: Row,
  waits: Selectable<KpiDb['dossier_waits']>[],
  dues: Selectable<KpiDb['dossier_due_dates']>[],
): DossierTimeline {
  return {
    dossierId: r.dossier_id,
    code: r.code,
    procedureCode: r.procedure_code,
    procedureVersion: r.procedure_version,
    fieldCode: r.field_code,
    agencyCode: r.agency_code,
    receivingAgencyCode: r.receiving_agency_code,
    channel: r.channel as DossierTimeline['channel'],
    homeService: r.home_service,
    authorityLevel: r.authority_level as DossierTimeline['authorityLevel'],
    onlineLevel: r.online_level as DossierTimeline['onlineLevel'],
    legacyLevel: r.legacy_level,
    feeBearing: r.fee_bearing,
    resultIsPaper: r.result_is_paper,
    processingTime: r.processing_time as DossierTimeline['processingTime'],
    populationDataUsed: r.population_data_used,
    feesDue: r.fees_due,
    components: r.components as DossierTimeline['components'],
    ruleSetId: r.rule_set_id,
    submittedAt: r.submitted_at,
    receivedAt: r.received_at,
    receiptDueAt: r.receipt_due_at,
    dueChanges: dues.map((d) => ({
      at: d.at,
      version: d.version,
      legalDueAt: d.legal_due_at,
      dueAt: d.due_at,
    })),
    legalClock: r.legal_clock,
    waits: waits.map((w) => ({
      kind: w.kind,
      startedAt: w.started_at,
      endedAt: w.ended_at,
      withinLegalWindow: w.within_legal_window,
    })),
    rescheduledAt: r.rescheduled_at,
    rescheduledDueAt: r.rescheduled_due_at,
    resolvedAt: r.resolved_at,
    eResult: r.e_result,
    resultDigitized: r.result_digitized,
    returnedAt: r.returned_at,
    withdrawnAt: r.withdrawn_at,
    stoppedAt: r.stopped_at,
    refusedAt: r.refused_at,
    firstPaidAt: r.first_paid_at,
    firstOnlinePaidAt: r.first_online_paid_at,
    nationalSyncedAt: r.national_synced_at,
    paidAmount: r.paid_amount,
    rating: r.rating as DossierTimeline['rating'],
    ratedAt: r.rated_at,
    firstComplaintAt: r.first_complaint_at,
    complaints: r.complaints,
    status: r.status as DossierTimeline['status'],
    lastVersion: r.last_version,
  };
}

/** Timelines of dossiers, with their waits and due-date changes (three queries whatever the count). */
export async function timelinesOf(db: Executor<KpiDb>, rows: Row[]): Promise<DossierTimeline[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.dossier_id);
  const [waits, dues] = await Promise.all([
    db
      .selectFrom('dossier_waits')
      .selectAll()
      .where('dossier_id', 'in', ids)
      .orderBy('dossier_id')
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('dossier_due_dates')
      .selectAll()
      .where('dossier_id', 'in', ids)
      .orderBy('dossier_id')
      .orderBy('version')
      .execute(),
  ]);
  const group = <T extends { dossier_id: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) m.set(x.dossier_id, [...(m.get(x.dossier_id) ?? []), x]);
    return m;
  };
  const w = group(waits);
  const d = group(dues);
  return rows.map((r) => toTimeline(r, w.get(r.dossier_id) ?? [], d.get(r.dossier_id) ?? []));
}

export async function findTimeline(db: Executor<KpiDb>, dossierId: string): Promise<DossierTimeline | null> {
  const row = await db
    .selectFrom('dossiers')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .executeTakeFirst();
  return row ? ((await timelinesOf(db, [row]))[0] ?? null) : null;
}

const TIMESTAMPS: readonly (keyof DossierTable)[] = [
  'submitted_at',
  'received_at',
  'receipt_due_at',
  'rescheduled_at',
  'rescheduled_due_at',
  'resolved_at',
  'returned_at',
  'withdrawn_at',
  'stopped_at',
  'refused_at',
  'first_paid_at',
  'first_online_paid_at',
  'national_synced_at',
  'rated_at',
  'first_complaint_at',
  'ended_at',
  'updated_at',
];
const instant = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

/**
 * What folding some dossiers again reads, in one statement: each one's logged events (version
 * order), its row as stored with its waits and due-date changes, whether its late changes are
 * kept, and the complaints about its code (the code of its latest event).
 */
export async function foldInputs(
  db: Executor<KpiDb>,
  dossierIds: readonly string[],
): Promise<
  Map<
    string,
    {
      events: DossierEvent[];
      stored: { timeline: DossierTimeline; lateKept: boolean } | null;
      complaints: { receivedAt: Date }[];
    }
  >
> {
  const out = new Map<
    string,
    {
      events: DossierEvent[];
      stored: { timeline: DossierTimeline; lateKept: boolean } | null;
      complaints: { receivedAt: Date }[];
    }
  >();
  if (dossierIds.length === 0) return out;
  const { rows } = await sql<{
    id: string;
    events: Record<string, unknown>[];
    row: Record<string, unknown> | null;
    waits: Record<string, unknown>[];
    dues: Record<string, unknown>[];
    complaints: string[];
  }>`
    select u.id,
      (select coalesce(json_agg(row_to_json(e) order by e.dossier_version), '[]'::json)
        from dossier_events e where e.dossier_id = u.id::uuid) as events,
      (select row_to_json(d) from dossiers d where d.dossier_id = u.id::uuid) as row,
      (select coalesce(json_agg(row_to_json(w) order by w.seq), '[]'::json)
        from dossier_waits w where w.dossier_id = u.id::uuid) as waits,
      (select coalesce(json_agg(row_to_json(x) order by x.version), '[]'::json)
        from dossier_due_dates x where x.dossier_id = u.id::uuid) as dues,
      (select coalesce(json_agg(f.received_at), '[]'::json) from feedbacks f
        where f.kind = 'handling' and f.received_at is not null and f.dossier_code = (
          select e.payload->>'code' from dossier_events e where e.dossier_id = u.id::uuid
          order by e.dossier_version desc limit 1)) as complaints
    from unnest(${[...new Set(dossierIds)]}::text[]) as u(id)`.execute(db);
  for (const r of rows) {
    const events = r.events.map((e) =>
      eventOf({ ...e, occurred_at: new Date(e['occurred_at'] as string) } as Selectable<
        KpiDb['dossier_events']
      >),
    );
    let stored: { timeline: DossierTimeline; lateKept: boolean } | null = null;
    if (r.row) {
      const row = { ...r.row } as Record<string, unknown>;
      for (const c of TIMESTAMPS) row[c] = instant(row[c]);
      const waits = r.waits.map((w) => ({
        ...w,
        started_at: new Date(w['started_at'] as string),
        ended_at: instant(w['ended_at']),
      })) as Selectable<KpiDb['dossier_waits']>[];
      const dues = r.dues.map((d) => ({
        ...d,
        at: new Date(d['at'] as string),
        legal_due_at: instant(d['legal_due_at']),
        due_at: instant(d['due_at']),
      })) as Selectable<KpiDb['dossier_due_dates']>[];
      stored = { timeline: toTimeline(row as Row, waits, dues), lateKept: row['late_kept'] === true };
    }
    out.set(r.id, {
      events,
      stored,
      complaints: r.complaints.map((at) => ({ receivedAt: new Date(at) })),
    });
  }
  return out;
}

/** Of these dossiers, those whose late changes are kept in the rollups. */
export async function lateKeptAmong(db: Executor<KpiDb>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('dossiers')
    .select('dossier_id')
    .where('dossier_id', 'in', [...ids])
    .where('late_kept', '=', true)
    .execute();
  return new Set(rows.map((r) => r.dossier_id));
}

/** Marks every dossier's late changes as kept (the rebuild has written them all). */
export async function markAllLateKept(db: Executor<KpiDb>): Promise<void> {
  await db.updateTable('dossiers').set({ late_kept: true }).where('late_kept', '=', false).execute();
}

/** The open span as a range literal: [from,until] inclusive, or [from,) while still open. */
const spanLiteral = (s: DerivedColumns['openSpan']): string | null =>
  s === null ? null : s.until === null ? `[${s.from},)` : `[${s.from},${s.until}]`;

/**
 * A dossier's row as stored: its timeline and derived columns (also what the bulk generator in
 * scripts/generate writes with COPY, so the two cannot drift).
 */
export function timelineRow(t: DossierTimeline, d: DerivedColumns) {
  return {
    dossier_id: t.dossierId,
    code: t.code,
    procedure_code: t.procedureCode,
    procedure_version: t.procedureVersion,
    field_code: t.fieldCode,
    agency_code: t.agencyCode,
    receiving_agency_code: t.receivingAgencyCode,
    channel: t.channel,
    home_service: t.homeService,
    authority_level: t.authorityLevel,
    online_level: t.onlineLevel,
    legacy_level: t.legacyLevel,
    fee_bearing: t.feeBearing,
    result_is_paper: t.resultIsPaper,
    processing_time: t.processingTime === null ? null : JSON.stringify(t.processingTime),
    population_data_used: t.populationDataUsed,
    fees_due: t.feesDue,
    components: t.components === null ? null : JSON.stringify(t.components),
    rule_set_id: t.ruleSetId,
    submitted_at: t.submittedAt,
    received_at: t.receivedAt,
    received_day: d.receivedDay,
    receipt_due_at: t.receiptDueAt,
    rescheduled_at: t.rescheduledAt,
    rescheduled_due_at: t.rescheduledDueAt,
    resolved_at: t.resolvedAt,
    e_result: t.eResult,
    result_digitized: t.resultDigitized,
    returned_at: t.returnedAt,
    withdrawn_at: t.withdrawnAt,
    stopped_at: t.stoppedAt,
    refused_at: t.refusedAt,
    first_paid_at: t.firstPaidAt,
    first_online_paid_at: t.firstOnlinePaidAt,
    national_synced_at: t.nationalSyncedAt,
    paid_amount: t.paidAmount,
    rating: t.rating,
    rated_at: t.ratedAt,
    first_complaint_at: t.firstComplaintAt,
    complaints: t.complaints,
    status: t.status,
    last_version: t.lastVersion,
    ended_at: d.endedAt,
    ended_day: d.endedDay,
    end_kind: d.endKind,
    legal_outcome: d.legalOutcome,
    indicator_outcome: d.indicatorOutcome,
    legal_due_at: d.legalDueDate,
    legal_clock: t.legalClock,
    supplement_requests: d.supplementRequests,
    open_span: spanLiteral(d.openSpan),
    progress_span: d.progressSpan,
    legal_overdue_days: d.legalOverdueDays,
    ind_overdue_days: d.indOverdueDays,
    late_kept: d.lateKept,
  };
}

/** A dossier's waits and due-date changes as stored. */
export function timelineChildRows(t: DossierTimeline) {
  return {
    waits: t.waits.map((w, i) => ({
      dossier_id: t.dossierId,
      seq: i + 1,
      kind: w.kind,
      started_at: w.startedAt,
      ended_at: w.endedAt,
      within_legal_window: w.withinLegalWindow,
    })),
    dueDates: t.dueChanges.map((c) => ({
      dossier_id: t.dossierId,
      version: c.version,
      at: c.at,
      legal_due_at: c.legalDueAt,
      due_at: c.dueAt,
    })),
  };
}

/** Writes dossiers' timelines and derived columns, replacing their waits and due-date changes, all at once. */
export async function saveTimelines(
  db: Executor<KpiDb>,
  list: readonly {
    timeline: DossierTimeline;
    derived: DerivedColumns;
    /** The waits and due-date changes as stored (null: none stored); left alone when unchanged. */
    storedChildren?: ReturnType<typeof timelineChildRows> | null;
  }[],
): Promise<void> {
  if (list.length === 0) return;
  const sorted = [...list].sort((a, b) =>
    a.timeline.dossierId < b.timeline.dossierId ? -1 : a.timeline.dossierId > b.timeline.dossierId ? 1 : 0,
  );
  const values = sorted.map((x) => timelineRow(x.timeline, x.derived));
  const columns = Object.keys(values[0] ?? {}).filter(
    (c) => c !== 'dossier_id',
  ) as (keyof (typeof values)[number])[];
  await db
    .insertInto('dossiers')
    .values(values)
    .onConflict((oc) =>
      oc.column('dossier_id').doUpdateSet((eb) => ({
        ...Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}`)])),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
  const replaced = sorted.flatMap((x) => {
    const now = timelineChildRows(x.timeline);
    if (x.storedChildren !== undefined && JSON.stringify(now) === JSON.stringify(x.storedChildren)) return [];
    const had =
      x.storedChildren === undefined ||
      (x.storedChildren !== null &&
        (x.storedChildren.waits.length > 0 || x.storedChildren.dueDates.length > 0));
    return [{ id: x.timeline.dossierId, now, had }];
  });
  const stale = replaced.filter((r) => r.had).map((r) => r.id);
  if (stale.length > 0) {
    await db.deleteFrom('dossier_waits').where('dossier_id', 'in', stale).execute();
    await db.deleteFrom('dossier_due_dates').where('dossier_id', 'in', stale).execute();
  }
  const waits = replaced.flatMap((r) => r.now.waits);
  const dueDates = replaced.flatMap((r) => r.now.dueDates);
  if (waits.length > 0) await db.insertInto('dossier_waits').values(waits).execute();
  if (dueDates.length > 0) await db.insertInto('dossier_due_dates').values(dueDates).execute();
}

/** Ids of the dossiers carrying a code (one, unless a code was reused by imported history). */
export async function dossierIdsByCode(db: Executor<KpiDb>, code: string): Promise<string[]> {
  const rows = await db.selectFrom('dossiers').select('dossier_id').where('code', '=', code).execute();
  return rows.map((r) => r.dossier_id);
}

/** Dossiers of a procedure version whose authority level was not on their events. */
export async function dossiersWithoutLevel(
  db: Executor<KpiDb>,
  procedureCode: string,
  version: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('dossiers')
    .select('dossier_id')
    .where('procedure_code', '=', procedureCode)
    .where('procedure_version', '=', version)
    .where('authority_level', 'is', null)
    .execute();
  return rows.map((r) => r.dossier_id);
}

export async function noteAgencies(db: Executor<KpiDb>, codes: string[]): Promise<void> {
  const unique = [...new Set(codes)].sort();
  if (unique.length === 0) return;
  await db
    .insertInto('agencies_seen')
    .values(unique.map((code) => ({ code })))
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

function scoped<Q extends { where: (...args: any[]) => Q }>(q: Q, scope: Scope): Q {
  let out = q;
  if (scope.agencyCodes !== null)
    out = out.where('agency_code', 'in', scope.agencyCodes.length ? [...scope.agencyCodes] : ['']);
  if (scope.fieldCode !== null) out = out.where('field_code', '=', scope.fieldCode);
  if (scope.procedureCode !== null) out = out.where('procedure_code', '=', scope.procedureCode);
  return out;
}

/**
 * The dossiers of a scope whose figures may still change at the end of a day (in progress then,
 * or with a fact after it: open_span contains the day) and whose late changes are not kept in the
 * rollups (folded before they were; none once the rebuild has run). A stab into a GiST index.
 */
export async function openOn(db: Executor<KpiDb>, scope: Scope, day: string): Promise<DossierTimeline[]> {
  const rows = await scoped(
    db
      .selectFrom('dossiers')
      .selectAll()
      .where(sql<boolean>`open_span @> ${day}::date`)
      .where(sql<boolean>`not late_kept`),
    scope,
  ).execute();
  return timelinesOf(db, rows);
}

/** Dossiers in progress at the end of any of some days whose stock spans are not written yet (one query). */
export async function unjudgedOnDays(
  db: Executor<KpiDb>,
  scope: Scope,
  days: readonly string[],
): Promise<DossierTimeline[]> {
  if (days.length === 0) return [];
  const rows = await scoped(
    db
      .selectFrom('dossiers')
      .selectAll()
      .where(
        sql<boolean>`(${sql.join(
          days.map((day) => sql`progress_span @> ${day}::date`),
          sql` or `,
        )})`,
      )
      .where(sql<boolean>`(legal_overdue_days is null or ind_overdue_days is null)`),
    scope,
  ).execute();
  return timelinesOf(db, rows);
}

/** Dossiers in progress at the end of a day whose stock spans are not written yet (folded before they existed). */
export async function unjudgedOn(db: Executor<KpiDb>, scope: Scope, day: string): Promise<DossierTimeline[]> {
  const rows = await scoped(
    db
      .selectFrom('dossiers')
      .selectAll()
      .where(sql<boolean>`progress_span @> ${day}::date`)
      .where(sql<boolean>`(legal_overdue_days is null or ind_overdue_days is null)`),
    scope,
  ).execute();
  return timelinesOf(db, rows);
}

/** Every received dossier of a scope up to a day, in pages by id (the direct computation, the rebuild). */
export async function receivedPage(
  db: Executor<KpiDb>,
  scope: Scope,
  options: { upTo?: string; after?: string; limit: number },
): Promise<DossierTimeline[]> {
  let q = scoped(db.selectFrom('dossiers').selectAll().where('received_day', 'is not', null), scope);
  if (options.upTo) q = q.where('received_day', '<=', options.upTo);
  if (options.after) q = q.where('dossier_id', '>', options.after);
  return timelinesOf(db, await q.orderBy('dossier_id').limit(options.limit).execute());
}

/** Ids of every dossier, in pages (refolding all from their logs). */
export async function dossierIdPage(
  db: Executor<KpiDb>,
  after: string | null,
  limit: number,
): Promise<string[]> {
  let q = db.selectFrom('dossier_events').select('dossier_id').distinct();
  if (after) q = q.where('dossier_id', '>', after);
  return (await q.orderBy('dossier_id').limit(limit).execute()).map((r) => r.dossier_id);
}

/** Every agency code kpi has met in events. */
export async function agenciesSeen(db: Executor<KpiDb>): Promise<string[]> {
  return (await db.selectFrom('agencies_seen').select('code').orderBy('code').execute()).map((r) => r.code);
}

/** The dimensions a row of the statistics table narrows a drill-down to ('unknown' level: none known). */
export interface RowDims {
  authorityLevel?: string;
  fieldCode?: string;
  procedureCode?: string;
}

/** Where a drill-down's page resumes: the last dossier listed, by its key. */
export interface DrillKey {
  receivedDay: string;
  code: string;
  id: string;
}

/**
 * Dossiers of a scope that may be counted in a cell (`where`: a narrow filter on the row's
 * derived columns, a superset of the cell), in (received day, code, id) order after a keyset:
 * every dossier a figure counts was received by the period's end, so one key pages every cell,
 * and a cell of receipts reads it straight off the (received_day, code) index.
 */
export async function candidatePage(
  db: Executor<KpiDb>,
  scope: Scope,
  dims: RowDims,
  where: RawBuilder<boolean>,
  after: DrillKey | undefined,
  limit: number,
  /**
   * The candidates are few and found by an index of their own (the overdue stocks): read them
   * all, then sort, instead of walking the receipt order (which the planner would choose for a
   * LIMIT, passing most of the year's dossiers before the first overdue one).
   */
  fenced = false,
): Promise<DossierTimeline[]> {
  let q = scoped(db.selectFrom('dossiers').selectAll(), scope)
    .where('received_day', 'is not', null)
    .where(where);
  if (dims.authorityLevel !== undefined)
    q =
      dims.authorityLevel === 'unknown'
        ? q.where('authority_level', 'is', null)
        : q.where('authority_level', '=', dims.authorityLevel);
  if (dims.fieldCode !== undefined) q = q.where('field_code', '=', dims.fieldCode);
  if (dims.procedureCode !== undefined) q = q.where('procedure_code', '=', dims.procedureCode);
  if (after)
    q = q.where(
      sql<boolean>`(received_day, code, dossier_id) > (${after.receivedDay}::date, ${after.code}, ${after.id}::uuid)`,
    );
  // OFFSET 0 keeps the planner from pushing the order and the limit into the candidates' scan.
  const rows = fenced
    ? await db
        .selectFrom(q.offset(0).as('c'))
        .selectAll()
        .orderBy('received_day')
        .orderBy('code')
        .orderBy('dossier_id')
        .limit(limit)
        .execute()
    : await q.orderBy('received_day').orderBy('code').orderBy('dossier_id').limit(limit).execute();
  return timelinesOf(db, rows);
}

/** Dossiers received or ended on some days (a partial rollup rebuild). */
export async function dossiersOnDays(
  db: Executor<KpiDb>,
  days: readonly string[],
): Promise<DossierTimeline[]> {
  if (days.length === 0) return [];
  const rows = await db
    .selectFrom('dossiers')
    .selectAll()
    .where((eb) => eb.or([eb('received_day', 'in', [...days]), eb('ended_day', 'in', [...days])]))
    .execute();
  return timelinesOf(db, rows);
}
