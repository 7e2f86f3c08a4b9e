import type { Executor } from '@tthc/db';
import type { IntakeDb } from './schema';

export async function logPersonalDataAccess(
  db: Executor<IntakeDb>,
  row: { dossier_id: string; actor: string; actor_role: string | null; actor_agency: string | null; purpose: string },
): Promise<void> {
  await db.insertInto('personal_data_access').values(row).execute();
}

export async function listPersonalDataAccess(db: Executor<IntakeDb>, dossierId: string) {
  return db.selectFrom('personal_data_access').selectAll().where('dossier_id', '=', dossierId).orderBy('id').execute();
}

export async function auditAdmin(db: Executor<IntakeDb>, row: { actor: string; action: string; target: string; detail: unknown }): Promise<void> {
  await db.insertInto('admin_audit').values({ ...row, detail: JSON.stringify(row.detail) }).execute();
}
