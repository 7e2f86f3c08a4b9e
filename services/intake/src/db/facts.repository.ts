import type { Executor } from '@tthc/db';
import type { Insertable, Selectable } from 'kysely';
import type {
  DossierPaymentTable,
  DossierRatingTable,
  DossierStepTable,
  DossierSupplementTable,
  IntakeDb,
  StepOutcome,
} from './schema';

export type SupplementRow = Selectable<DossierSupplementTable>;
export type StepRow = Selectable<DossierStepTable>;
export type PaymentRow = Selectable<DossierPaymentTable>;
export type RatingRow = Selectable<DossierRatingTable>;

export async function insertSupplement(
  db: Executor<IntakeDb>,
  row: Insertable<DossierSupplementTable>,
): Promise<void> {
  await db.insertInto('dossier_supplements').values(row).execute();
}

/** Closes the open supplement request of a dossier. */
export async function completeSupplement(
  db: Executor<IntakeDb>,
  dossierId: string,
  completedAt: Date,
  dueAfter: Date | null,
): Promise<void> {
  await db
    .updateTable('dossier_supplements')
    .set({ completed_at: completedAt, due_at_after: dueAfter })
    .where('dossier_id', '=', dossierId)
    .where('completed_at', 'is', null)
    .execute();
}

export async function listSupplements(db: Executor<IntakeDb>, dossierId: string): Promise<SupplementRow[]> {
  return db
    .selectFrom('dossier_supplements')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();
}

export async function insertStep(db: Executor<IntakeDb>, row: Insertable<DossierStepTable>): Promise<void> {
  await db.insertInto('dossier_steps').values(row).execute();
}

export async function listSteps(db: Executor<IntakeDb>, dossierId: string): Promise<StepRow[]> {
  return db
    .selectFrom('dossier_steps')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('seq')
    .execute();
}

/** Ends some open steps of a dossier: handed over, completed or returned for correction, by whom. */
export async function endSteps(
  db: Executor<IntakeDb>,
  dossierId: string,
  seqs: readonly number[],
  end: { at: Date; outcome: StepOutcome; by: string; note?: string | null },
): Promise<void> {
  if (seqs.length === 0) return;
  await db
    .updateTable('dossier_steps')
    .set({ completed_at: end.at, outcome: end.outcome, completed_by: end.by, note: end.note ?? null })
    .where('dossier_id', '=', dossierId)
    .where('seq', 'in', [...seqs])
    .where('completed_at', 'is', null)
    .execute();
}

/** Closes every step still open: the dossier ended (resolved, withdrawn, stopped). */
export async function closeOpenSteps(
  db: Executor<IntakeDb>,
  dossierId: string,
  at: Date,
  by: string,
): Promise<void> {
  await db
    .updateTable('dossier_steps')
    .set({ completed_at: at, outcome: 'closed', completed_by: by })
    .where('dossier_id', '=', dossierId)
    .where('completed_at', 'is', null)
    .execute();
}

export async function insertPayment(
  db: Executor<IntakeDb>,
  row: Insertable<DossierPaymentTable>,
): Promise<boolean> {
  const r = await db
    .insertInto('dossier_payments')
    .values(row)
    .onConflict((oc) => oc.columns(['dossier_id', 'receipt_number']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function listPayments(db: Executor<IntakeDb>, dossierId: string): Promise<PaymentRow[]> {
  return db
    .selectFrom('dossier_payments')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('paid_at')
    .execute();
}

export async function insertRating(
  db: Executor<IntakeDb>,
  row: Insertable<DossierRatingTable>,
): Promise<boolean> {
  const r = await db
    .insertInto('dossier_ratings')
    .values(row)
    .onConflict((oc) => oc.column('dossier_id').doNothing())
    .returning('dossier_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function findRating(
  db: Executor<IntakeDb>,
  dossierId: string,
): Promise<Selectable<DossierRatingTable> | undefined> {
  return db.selectFrom('dossier_ratings').selectAll().where('dossier_id', '=', dossierId).executeTakeFirst();
}
