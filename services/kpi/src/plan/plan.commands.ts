import { withTransaction, type Db } from '@tthc/db';
import type { KpiDb } from '../db/schema';
import { problems, type ProblemCode } from '@tthc/service-kit';
import { audit, type Actor } from '../db/audit.repository';
import {
  findEntry,
  findTask,
  insertEntry,
  insertTask,
  updateEntry,
  updateTask,
  type PlanTask,
  type PlanTaskInput,
  type RegisterEntry,
  type RegisterInput,
} from '../db/plan.repository';

const rejected = (code: ProblemCode, errors: { pointer: string; detail: string }[]) =>
  problems.unprocessable(
    code,
    errors.map((e) => e.detail).join('; '),
    errors.map((e) => ({ in: 'body' as const, ...e })),
  );

/** A task is done exactly when it has a completion date, which is not before the year of the plan. */
function taskProblems(t: PlanTaskInput): { pointer: string; detail: string }[] {
  const out: { pointer: string; detail: string }[] = [];
  if (t.status === 'done' && t.completedOn === null)
    out.push({ pointer: '/completedOn', detail: 'a done task has its completion date' });
  if (t.status !== 'done' && t.completedOn !== null)
    out.push({ pointer: '/status', detail: `a task completed on ${t.completedOn} is done` });
  if (t.origin === 'province' && !t.assignedBy)
    out.push({ pointer: '/assignedBy', detail: 'a task the province assigns names the assigning document' });
  if (Number(t.dueOn.slice(0, 4)) < t.year)
    out.push({ pointer: '/dueOn', detail: `a task of the ${t.year} plan is not due before that year` });
  return out;
}

export async function createTask(db: Db<KpiDb>, actor: Actor, t: PlanTaskInput): Promise<PlanTask> {
  const errors = taskProblems(t);
  if (errors.length > 0) throw rejected('invalid_plan_task', errors);
  return withTransaction(db, async (tx) => {
    const task = await insertTask(tx, t, actor.sub);
    await audit(tx, actor, {
      entity: 'plan_task',
      entityId: task.id,
      agencyCode: t.agencyCode,
      action: 'created',
      before: null,
      after: task,
    });
    return task;
  });
}

/** Changes a task (If-Match: the version read; a stale one is 412), keeping the change in the trail. */
export async function changeTask(
  db: Db<KpiDb>,
  actor: Actor,
  id: string,
  t: PlanTaskInput,
  ifVersion: number | undefined,
  allowed: (agencyCode: string) => void,
): Promise<PlanTask> {
  const errors = taskProblems(t);
  if (errors.length > 0) throw rejected('invalid_plan_task', errors);
  return withTransaction(db, async (tx) => {
    const before = await findTask(tx, id, true);
    if (!before) throw problems.notFound('plan task');
    allowed(before.agencyCode);
    allowed(t.agencyCode);
    if (ifVersion !== undefined && ifVersion !== before.version)
      throw problems.preconditionFailed(`the task is at version ${before.version}`);
    const after = await updateTask(tx, id, t, actor.sub);
    await audit(tx, actor, {
      entity: 'plan_task',
      entityId: id,
      agencyCode: t.agencyCode,
      action: 'changed',
      before,
      after,
    });
    return after;
  });
}

/** A document issued names its number; an inspection counts its findings. */
function entryProblems(e: RegisterInput): { pointer: string; detail: string }[] {
  const out: { pointer: string; detail: string }[] = [];
  if (e.kind === 'document' && !e.documentNumber)
    out.push({ pointer: '/documentNumber', detail: 'a document issued has its number (12/KH-SYT)' });
  if (e.kind === 'inspection' && e.findings === null)
    out.push({ pointer: '/findings', detail: 'an inspection states how many findings it made (0 if none)' });
  if (e.kind !== 'inspection' && e.findings !== null)
    out.push({ pointer: '/findings', detail: 'only an inspection has findings' });
  return out;
}

export async function createEntry(db: Db<KpiDb>, actor: Actor, e: RegisterInput): Promise<RegisterEntry> {
  const errors = entryProblems(e);
  if (errors.length > 0) throw rejected('invalid_register_entry', errors);
  return withTransaction(db, async (tx) => {
    const entry = await insertEntry(tx, e, actor.sub);
    await audit(tx, actor, {
      entity: 'register',
      entityId: entry.id,
      agencyCode: e.agencyCode,
      action: 'created',
      before: null,
      after: entry,
    });
    return entry;
  });
}

export async function changeEntry(
  db: Db<KpiDb>,
  actor: Actor,
  id: string,
  e: RegisterInput,
  ifVersion: number | undefined,
  allowed: (agencyCode: string) => void,
): Promise<RegisterEntry> {
  const errors = entryProblems(e);
  if (errors.length > 0) throw rejected('invalid_register_entry', errors);
  return withTransaction(db, async (tx) => {
    const before = await findEntry(tx, id, true);
    if (!before) throw problems.notFound('register entry');
    allowed(before.agencyCode);
    allowed(e.agencyCode);
    if (ifVersion !== undefined && ifVersion !== before.version)
      throw problems.preconditionFailed(`the entry is at version ${before.version}`);
    const after = await updateEntry(tx, id, e, actor.sub);
    await audit(tx, actor, {
      entity: 'register',
      entityId: id,
      agencyCode: e.agencyCode,
      action: 'changed',
      before,
      after,
    });
    return after;
  });
}
