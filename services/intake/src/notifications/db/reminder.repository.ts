import type { Selectable } from 'kysely';
import type { DossierTable } from '../../db/schema';
import type { NotifyExecutor } from './notification.schema';
import { RUNNING_STATUSES } from '../../domain/dossier-clock';

export type ReminderCandidate = Pick<
  Selectable<DossierTable>,
  | 'id'
  | 'code'
  | 'procedure_code'
  | 'procedure_name'
  | 'agency_code'
  | 'receiving_agency_code'
  | 'current_unit'
  | 'current_officer'
  | 'rule_set_id'
  | 'reschedule_count'
> & { due_at: Date };

/**
 * Dossiers in progress whose clock runs (received, processing), due in a window: before an
 * instant, and from another when given (without it, overdue ones of any age). Read from the
 * partial index of running clocks by due date (migration 202611300201_list_indexes).
 */
function openDueIn(db: NotifyExecutor, dueBefore: Date, dueFrom?: Date) {
  let q = db
    .selectFrom('dossiers')
    .where('status', 'in', [...RUNNING_STATUSES])
    .where('due_at', 'is not', null)
    .where('due_at', '<', dueBefore);
  if (dueFrom) q = q.where('due_at', '>=', dueFrom);
  return q;
}

export async function reminderCandidates(
  db: NotifyExecutor,
  dueBefore: Date,
  dueFrom?: Date,
): Promise<ReminderCandidate[]> {
  const rows = await openDueIn(db, dueBefore, dueFrom)
    .select([
      'id',
      'code',
      'procedure_code',
      'procedure_name',
      'agency_code',
      'receiving_agency_code',
      'current_unit',
      'current_officer',
      'rule_set_id',
      'reschedule_count',
      'due_at',
    ])
    .orderBy('due_at')
    .orderBy('id')
    .execute();
  return rows.filter((r): r is typeof r & { due_at: Date } => r.due_at !== null);
}

/** The reminders already fired for those dossiers: `dossierId|kind|dueDate` keys. */
export async function firedReminders(
  db: NotifyExecutor,
  dueBefore: Date,
  dueFrom?: Date,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('notification_reminder_log')
    .select(['dossier_id', 'kind', 'due_date'])
    .where('dossier_id', 'in', openDueIn(db, dueBefore, dueFrom).select('id'))
    .execute();
  return new Set(rows.map((r) => `${r.dossier_id}|${r.kind}|${r.due_date}`));
}

/**
 * Claims a reminder: true for the one transaction that inserted the key. A second scan running
 * at the same moment waits on the key, then finds it taken and sends nothing.
 */
export async function claimReminder(
  db: NotifyExecutor,
  row: { dossier_id: string; kind: string; due_date: string; sent_at: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('notification_reminder_log')
    .values(row)
    .onConflict((oc) => oc.columns(['dossier_id', 'kind', 'due_date']).doNothing())
    .returning('dossier_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function claimDigest(
  db: NotifyExecutor,
  row: { agency_code: string; unit: string; day: string; sent_at: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('notification_digest_log')
    .values(row)
    .onConflict((oc) => oc.columns(['agency_code', 'unit', 'day']).doNothing())
    .returning('unit')
    .executeTakeFirst();
  return r !== undefined;
}

export async function digestSent(db: NotifyExecutor, day: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('notification_digest_log')
    .select(['agency_code', 'unit'])
    .where('day', '=', day)
    .execute();
  return new Set(rows.map((r) => `${r.agency_code}|${r.unit}`));
}
