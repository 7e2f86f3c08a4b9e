import type { Executor } from '@tthc/db';
import { sql, type Selectable } from 'kysely';
import type { KpiDb } from './schema';

export interface PlanDocument {
  number: string;
  title?: string | undefined;
  link?: string | undefined;
}

export interface PlanTaskInput {
  agencyCode: string;
  year: number;
  origin: 'own' | 'province';
  assignedBy: string | null;
  title: string;
  ownerUnit: string;
  dueOn: string;
  status: 'not_started' | 'in_progress' | 'done';
  completedOn: string | null;
  documents: PlanDocument[];
}

export interface PlanTask extends PlanTaskInput {
  id: string;
  version: number;
  updatedBy: string;
  updatedAt: string;
}

const toTask = (r: Selectable<KpiDb['plan_tasks']>): PlanTask => ({
  id: r.id,
  agencyCode: r.agency_code,
  year: r.year,
  origin: r.origin,
  assignedBy: r.assigned_by,
  title: r.title,
  ownerUnit: r.owner_unit,
  dueOn: r.due_on,
  status: r.status,
  completedOn: r.completed_on,
  documents: r.documents as PlanDocument[],
  version: r.version,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at.toISOString(),
});

const columns = (t: PlanTaskInput, by: string) => ({
  agency_code: t.agencyCode,
  year: t.year,
  origin: t.origin,
  assigned_by: t.assignedBy,
  title: t.title,
  owner_unit: t.ownerUnit,
  due_on: t.dueOn,
  status: t.status,
  completed_on: t.completedOn,
  documents: JSON.stringify(t.documents),
  updated_by: by,
});

export async function insertTask(tx: Executor<KpiDb>, t: PlanTaskInput, by: string): Promise<PlanTask> {
  return toTask(
    await tx.insertInto('plan_tasks').values(columns(t, by)).returningAll().executeTakeFirstOrThrow(),
  );
}

export async function findTask(db: Executor<KpiDb>, id: string, lock = false): Promise<PlanTask | undefined> {
  let q = db.selectFrom('plan_tasks').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toTask(r) : undefined;
}

export async function updateTask(
  tx: Executor<KpiDb>,
  id: string,
  t: PlanTaskInput,
  by: string,
): Promise<PlanTask> {
  return toTask(
    await tx
      .updateTable('plan_tasks')
      .set({ ...columns(t, by), version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export interface TaskFilter {
  agencyCodes: readonly string[] | null;
  year: number;
  status?: PlanTask['status'] | undefined;
  origin?: PlanTask['origin'] | undefined;
}

/** Tasks in due-date order, a page after the keyset (dueOn, id). */
export async function listTasks(
  db: Executor<KpiDb>,
  f: TaskFilter,
  after: { dueOn: string; id: string } | undefined,
  limit: number,
): Promise<PlanTask[]> {
  let q = db.selectFrom('plan_tasks').selectAll().where('year', '=', f.year);
  if (f.agencyCodes !== null) {
    if (f.agencyCodes.length === 0) return [];
    q = q.where('agency_code', 'in', [...f.agencyCodes]);
  }
  if (f.status) q = q.where('status', '=', f.status);
  if (f.origin) q = q.where('origin', '=', f.origin);
  if (after) q = q.where(sql<boolean>`(due_on, id) > (${after.dueOn}::date, ${after.id}::uuid)`);
  return (await q.orderBy('due_on').orderBy('id').limit(limit).execute()).map(toTask);
}

/** The dates of every task of a year (counts). */
export async function taskDates(
  db: Executor<KpiDb>,
  agencyCodes: readonly string[] | null,
  year: number,
): Promise<{ origin: 'own' | 'province'; dueOn: string; completedOn: string | null }[]> {
  if (agencyCodes?.length === 0) return [];
  let q = db.selectFrom('plan_tasks').select(['origin', 'due_on', 'completed_on']).where('year', '=', year);
  if (agencyCodes !== null) q = q.where('agency_code', 'in', [...agencyCodes]);
  const rows = await q.execute();
  return rows.map((r) => ({ origin: r.origin, dueOn: r.due_on, completedOn: r.completed_on }));
}

export interface RegisterInput {
  agencyCode: string;
  kind: 'document' | 'inspection' | 'communication';
  onDate: string;
  title: string;
  documentNumber: string | null;
  findings: number | null;
  details: Record<string, unknown>;
}

export interface RegisterEntry extends RegisterInput {
  id: string;
  version: number;
  updatedBy: string;
  updatedAt: string;
}

const toEntry = (r: Selectable<KpiDb['reform_registers']>): RegisterEntry => ({
  id: r.id,
  agencyCode: r.agency_code,
  kind: r.kind,
  onDate: r.on_date,
  title: r.title,
  documentNumber: r.document_number,
  findings: r.findings,
  details: r.details as Record<string, unknown>,
  version: r.version,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at.toISOString(),
});

const entryColumns = (e: RegisterInput, by: string) => ({
  agency_code: e.agencyCode,
  kind: e.kind,
  on_date: e.onDate,
  title: e.title,
  document_number: e.documentNumber,
  findings: e.findings,
  details: JSON.stringify(e.details),
  updated_by: by,
});

export async function insertEntry(tx: Executor<KpiDb>, e: RegisterInput, by: string): Promise<RegisterEntry> {
  return toEntry(
    await tx
      .insertInto('reform_registers')
      .values(entryColumns(e, by))
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export async function findEntry(
  db: Executor<KpiDb>,
  id: string,
  lock = false,
): Promise<RegisterEntry | undefined> {
  let q = db.selectFrom('reform_registers').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toEntry(r) : undefined;
}

export async function updateEntry(
  tx: Executor<KpiDb>,
  id: string,
  e: RegisterInput,
  by: string,
): Promise<RegisterEntry> {
  return toEntry(
    await tx
      .updateTable('reform_registers')
      .set({ ...entryColumns(e, by), version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

/** Entries within dates, in date order, a page after the keyset (onDate, id). */
export async function listEntries(
  db: Executor<KpiDb>,
  f: {
    agencyCodes: readonly string[] | null;
    kind?: RegisterInput['kind'] | undefined;
    from: string;
    to: string;
  },
  after: { onDate: string; id: string } | undefined,
  limit: number,
): Promise<RegisterEntry[]> {
  let q = db
    .selectFrom('reform_registers')
    .selectAll()
    .where('on_date', '>=', f.from)
    .where('on_date', '<=', f.to);
  if (f.agencyCodes !== null) {
    if (f.agencyCodes.length === 0) return [];
    q = q.where('agency_code', 'in', [...f.agencyCodes]);
  }
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (after) q = q.where(sql<boolean>`(on_date, id) > (${after.onDate}::date, ${after.id}::uuid)`);
  return (await q.orderBy('on_date').orderBy('id').limit(limit).execute()).map(toEntry);
}

/** What the reform report's first section counts of the registers within dates. */
export async function registerCounts(
  db: Executor<KpiDb>,
  agencyCodes: readonly string[] | null,
  from: string,
  to: string,
): Promise<{ documents: number; inspections: number; findings: number; communication: number }> {
  let q = db
    .selectFrom('reform_registers')
    .select([
      sql<number>`count(*) filter (where kind = 'document')::int`.as('documents'),
      sql<number>`count(*) filter (where kind = 'inspection')::int`.as('inspections'),
      sql<number>`coalesce(sum(findings) filter (where kind = 'inspection'), 0)::int`.as('findings'),
      sql<number>`count(*) filter (where kind = 'communication')::int`.as('communication'),
    ])
    .where('on_date', '>=', from)
    .where('on_date', '<=', to);
  if (agencyCodes !== null) {
    if (agencyCodes.length === 0) return { documents: 0, inspections: 0, findings: 0, communication: 0 };
    q = q.where('agency_code', 'in', [...agencyCodes]);
  }
  return q.executeTakeFirstOrThrow();
}
