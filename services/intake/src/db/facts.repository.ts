import type { Executor } from '@tthc/db';
import type { Insertable, Selectable } from 'kysely';
import type {
  DossierPaymentTable,
  DossierRatingTable,
  DossierStepTable,
  DossierSupplementTable,
  IntakeDb,
} from './schema';

export type SupplementRow = Selectable<DossierSupplementTable>;
export type StepRow = Selectable<DossierStepTable>;
export type PaymentRow = Selectable<DossierPaymentTable>;

export async function insertSupplement(db: Executor<IntakeDb>, row: Insertable<DossierSupplementTable>): Promise<void> {
  await db.insertInto('dossier_supplements').values(row).execute();
}

/** Closes the open supplement request of a dossier. */
export async function completeSupplement(db: Executor<IntakeDb>, dossierId: string, completedAt: Date, dueAfter: Date | null): Promise<void> {
  await db
    .updateTable('dossier_supplements')
    .set({ completed_at: completedAt, due_at_after: dueAfter })
    .where('dossier_id', '=', dossierId)
    .where('completed_at', 'is', null)
    .execute();
}

export async function listSupplements(db: Executor<IntakeDb>, dossierId: string): Promise<SupplementRow[]> {
  return db.selectFrom('dossier_supplements').selectAll().where('dossier_id', '=', dossierId).orderBy('id').execute();
}

export async function insertStep(db: Executor<IntakeDb>, row: Insertable<DossierStepTable>): Promise<void> {
  await db.insertInto('dossier_steps').values(row).execute();
}

export async function listSteps(db: Executor<IntakeDb>, dossierId: string): Promise<StepRow[]> {
  return db.selectFrom('dossier_steps').selectAll().where('dossier_id', '=', dossierId).orderBy('seq').execute();
}

/** Closes the steps still open (the dossier moved on to another unit or agency, or ended). */
export async function completeOpenSteps(db: Executor<IntakeDb>, dossierId: string, at: Date): Promise<void> {
  await db.updateTable('dossier_steps').set({ completed_at: at }).where('dossier_id', '=', dossierId).where('completed_at', 'is', null).execute();
}

export async function insertPayment(db: Executor<IntakeDb>, row: Insertable<DossierPaymentTable>): Promise<boolean> {
  const r = await db
    .insertInto('dossier_payments')
    .values(row)
    .onConflict((oc) => oc.columns(['dossier_id', 'receipt_number']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function listPayments(db: Executor<IntakeDb>, dossierId: string): Promise<PaymentRow[]> {
  return db.selectFrom('dossier_payments').selectAll().where('dossier_id', '=', dossierId).orderBy('paid_at').execute();
}

export async function insertRating(db: Executor<IntakeDb>, row: Insertable<DossierRatingTable>): Promise<boolean> {
  const r = await db
    .insertInto('dossier_ratings')
    .values(row)
    .onConflict((oc) => oc.column('dossier_id').doNothing())
    .returning('dossier_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function findRating(db: Executor<IntakeDb>, dossierId: string): Promise<Selectable<DossierRatingTable> | undefined> {
  return db.selectFrom('dossier_ratings').selectAll().where('dossier_id', '=', dossierId).executeTakeFirst();
}
