import type { Executor } from '@tthc/db';
import { sql, type ExpressionBuilder, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { DossierHistoryTable, DossierStatus, DossierTable, IntakeDb } from './schema';
import { RUNNING_STATUSES } from '../domain/dossier-clock';

export type DossierRow = Selectable<DossierTable>;
export type HistoryRow = Selectable<DossierHistoryTable>;

/**
 * Next serial of the day for an agency. The upsert takes a row lock, so concurrent receipts
 * (on any number of replicas) get distinct serials; a rolled-back receipt leaves a gap, never a duplicate.
 */
export async function nextSerial(db: Executor<IntakeDb>, agencyCode: string, day: string): Promise<number> {
  const row = await db
    .insertInto('dossier_serials')
    .values({ agency_code: agencyCode, day, last_serial: 1 })
    .onConflict((oc) =>
      oc
        .columns(['agency_code', 'day'])
        .doUpdateSet((eb) => ({ last_serial: eb('dossier_serials.last_serial', '+', 1) })),
    )
    .returning('last_serial')
    .executeTakeFirstOrThrow();
  return row.last_serial;
}

export async function insertDossier(
  db: Executor<IntakeDb>,
  row: Insertable<DossierTable>,
): Promise<DossierRow> {
  return db.insertInto('dossiers').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A dossier by its code, or by the provisional reference it was submitted under. */
export async function findDossierByCode(
  db: Executor<IntakeDb>,
  code: string,
  forUpdate = false,
): Promise<DossierRow | undefined> {
  let q = db
    .selectFrom('dossiers')
    .selectAll()
    .where((eb) => (code.startsWith('P-') ? eb('reference', '=', code) : eb('code', '=', code)));
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findDossierBySource(
  db: Executor<IntakeDb>,
  system: string,
  id: string,
): Promise<DossierRow | undefined> {
  return db
    .selectFrom('dossiers')
    .selectAll()
    .where('source_system', '=', system)
    .where('source_id', '=', id)
    .executeTakeFirst();
}

/** Writes a change only if the dossier is still at the version the caller read; undefined when not. */
export async function updateDossier(
  db: Executor<IntakeDb>,
  id: string,
  expectedVersion: number,
  set: Updateable<DossierTable>,
): Promise<DossierRow | undefined> {
  return db
    .updateTable('dossiers')
    .set({ ...set, version: expectedVersion + 1, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export async function appendHistory(
  db: Executor<IntakeDb>,
  row: Insertable<DossierHistoryTable>,
): Promise<void> {
  await db.insertInto('dossier_history').values(row).execute();
}

export async function listHistory(db: Executor<IntakeDb>, dossierId: string): Promise<HistoryRow[]> {
  return db
    .selectFrom('dossier_history')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();
}

export interface DossierFilter {
  status?: DossierStatus[] | undefined;
  /** The caller's agency scope (undefined: province-wide); see access/dossier-access.ts. */
  visibleTo?: readonly string[] | undefined;
  /** Dossiers an agency owns (deciding or receiving) or holds an open step of. */
  agencyCode?: string | undefined;
  unit?: string | undefined;
  officer?: string | undefined;
  fieldCode?: string | undefined;
  procedureCode?: string | undefined;
  channel?: string | undefined;
  receivedFrom?: Date | undefined;
  receivedBefore?: Date | undefined;
  dueFrom?: Date | undefined;
  dueBefore?: Date | undefined;
  q?: string | undefined;
}

export type DossierSort = 'received' | 'due';

function filtered(db: Executor<IntakeDb>, f: DossierFilter) {
  let q = db.selectFrom('dossiers');
  const step = (eb: ExpressionBuilder<IntakeDb & { dossiers: DossierTable }, 'dossiers'>) =>
    eb
      .selectFrom('dossier_steps as s')
      .select(sql`1`.as('x'))
      .whereRef('s.dossier_id', '=', 'dossiers.id');
  if (f.status?.length) q = q.where('status', 'in', f.status);
  // The scope rule of access/dossier-access.ts: an agency in scope owns the dossier (deciding or
  // receiving) or holds, or held, a step of it.
  if (f.visibleTo) {
    const scope = [...f.visibleTo];
    q =
      scope.length === 0
        ? q.where(sql<boolean>`false`)
        : q.where((eb) =>
            eb.or([
              eb('agency_code', 'in', scope),
              eb('receiving_agency_code', 'in', scope),
              eb.exists(step(eb).where('s.agency_code', 'in', scope)),
            ]),
          );
  }
  // Agency, unit and officer filters match the owner or the holder of any open step.
  if (f.agencyCode) {
    const a = f.agencyCode;
    q = q.where((eb) =>
      eb.or([
        eb('agency_code', '=', a),
        eb('receiving_agency_code', '=', a),
        eb.exists(step(eb).where('s.agency_code', '=', a).where('s.completed_at', 'is', null)),
      ]),
    );
  }
  if (f.unit) {
    const u = f.unit;
    q = q.where((eb) =>
      eb.or([
        eb('current_unit', '=', u),
        eb.exists(step(eb).where('s.unit', '=', u).where('s.completed_at', 'is', null)),
      ]),
    );
  }
  if (f.officer) {
    const o = f.officer;
    q = q.where((eb) =>
      eb.or([
        eb('current_officer', '=', o),
        eb.exists(step(eb).where('s.officer', '=', o).where('s.completed_at', 'is', null)),
      ]),
    );
  }
  if (f.fieldCode) q = q.where('field_code', '=', f.fieldCode);
  if (f.procedureCode) q = q.where('procedure_code', '=', f.procedureCode);
  if (f.channel) q = q.where('channel', '=', f.channel as DossierRow['channel']);
  if (f.receivedFrom) q = q.where('received_at', '>=', f.receivedFrom);
  if (f.receivedBefore) q = q.where('received_at', '<', f.receivedBefore);
  if (f.dueFrom) q = q.where('due_at', '>=', f.dueFrom);
  if (f.dueBefore) q = q.where('due_at', '<', f.dueBefore);
  if (f.q)
    q = q.where((eb) => eb.or([eb('code', 'like', `%${f.q}%`), eb('procedure_name', 'ilike', `%${f.q}%`)]));
  return q;
}

/** What a list row carries (the summary and the keyset cursor): no applicant contact, no documents. */
export const LIST_COLUMNS = [
  'id',
  'code',
  'reference',
  'status',
  'procedure_code',
  'procedure_name',
  'field_code',
  'agency_code',
  'receiving_agency_code',
  'channel',
  'applicant_name',
  'submitted_at',
  'received_at',
  'due_at',
  'ended_at',
  'timeliness',
  'current_unit',
  'current_officer',
  'version',
] as const satisfies readonly (keyof DossierTable)[];
export type DossierListRow = Pick<DossierRow, (typeof LIST_COLUMNS)[number]>;

/** The dossiers an agency holds (or, for the scope rule, held) a step of without owning them. */
function foreignSteps(db: Executor<IntakeDb>, agency: string, openOnly: boolean) {
  let steps = db
    .selectFrom('dossier_steps')
    .select('dossier_id')
    .where('agency_code', '=', agency)
    .where('foreign_agency', '=', true);
  // The agency filter counts the steps it holds now; the scope rule, those it held too.
  if (openOnly) steps = steps.where('completed_at', 'is', null);
  return steps;
}

/** The receipt sort key, exactly as the list indexes hold it (migration 202611300201_list_indexes). */
const RECEIPT_KEY = sql<Date>`coalesce(received_at, submitted_at)`;

/** The filters that narrow within an owner's dossiers (everything but the agency and scope rule). */
function narrowed(db: Executor<IntakeDb>, f: DossierFilter) {
  return filtered(db, { ...f, agencyCode: undefined, visibleTo: undefined });
}

/**
 * Keyset page: by receipt (newest first) or by due date (soonest first), id breaking ties.
 *
 * The agency rule (an agency owns the dossier, deciding or receiving, or holds a step of it) is
 * an OR that no index answers in order; the page is instead the union of one ordered, limited
 * branch per agency and side (deciding, receiving, steps it holds of dossiers it does not own),
 * each read from the index matching its filter and sort, merged and cut to the page. A branch
 * reads at most a page; the whole query a page per branch.
 */
export async function listDossiers(
  db: Executor<IntakeDb>,
  f: DossierFilter,
  page: { sort: DossierSort; after?: { at: string; id: string } | undefined; limit: number },
): Promise<DossierListRow[]> {
  const ordered = <Q extends ReturnType<typeof narrowed>>(q: Q) => {
    let r = q.select([...LIST_COLUMNS]);
    if (f.receivedFrom) r = r.where(RECEIPT_KEY, '>=', f.receivedFrom); // implied; lets the key index bound the range
    if (f.receivedBefore) r = r.where(RECEIPT_KEY, '<', f.receivedBefore);
    if (page.sort === 'due') {
      r = r.where('due_at', 'is not', null);
      if (page.after)
        r = r.where(sql<boolean>`(due_at, id) > (${page.after.at}::timestamptz, ${page.after.id}::uuid)`);
      return r
        .orderBy('due_at')
        .orderBy('id')
        .limit(page.limit + 1);
    }
    if (page.after)
      r = r.where(
        sql<boolean>`(coalesce(received_at, submitted_at), id) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)`,
      );
    return r
      .orderBy(RECEIPT_KEY, 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
  };
  const owners = f.agencyCode ? [f.agencyCode] : f.visibleTo ? [...new Set(f.visibleTo)] : undefined;
  if (!owners) return ordered(narrowed(db, f)).execute();
  if (owners.length === 0) return [];
  const branches = owners.flatMap((a) => [
    ordered(narrowed(db, f).where('agency_code', '=', a)),
    ordered(narrowed(db, f).where('receiving_agency_code', '=', a)),
    // The few dossiers an agency works on without owning them: their ids first (an array read
    // once from the partial steps index), then those rows; never a walk of every dossier.
    ordered(narrowed(db, f).where(sql<boolean>`id = any(array(${foreignSteps(db, a, !!f.agencyCode)}))`)),
  ]);
  const order =
    page.sort === 'due' ? sql`u.due_at, u.id` : sql`coalesce(u.received_at, u.submitted_at) desc, u.id desc`;
  const { rows } = await sql<DossierListRow>`
    select ${sql.join(LIST_COLUMNS.map((c) => sql.ref(`u.${c}`)))}
    from (${sql.join(
      branches.map((b) => sql`(${b})`),
      sql` union `,
    )}) u
    order by ${order}
    limit ${page.limit + 1}`.execute(db);
  return rows;
}

export async function countDossiers(db: Executor<IntakeDb>, f: DossierFilter): Promise<number> {
  const r = await filtered(db, f)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

/**
 * Dossiers overdue now by owning agency: those whose clock runs and whose appointment is before
 * the cut-off (domain/dossier-clock.ts, overdueNowCutoff). One grouped read over the running
 * dossiers (the due-date index), for the operators' gauge.
 */
export async function countOverdueByAgency(
  db: Executor<IntakeDb>,
  cutoff: Date,
): Promise<{ agencyCode: string; overdue: number }[]> {
  return db
    .selectFrom('dossiers')
    .select(['agency_code as agencyCode', sql<number>`count(*)::int`.as('overdue')])
    .where('status', 'in', [...RUNNING_STATUSES])
    .where('due_at', '<', cutoff)
    .groupBy('agency_code')
    .orderBy('agency_code')
    .execute();
}
