import type { Identity } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import type { IntakeDb } from './schema';

/** Who read a person's contact details, of which dossier (applicant) or feedback (sender), why. */
export async function logPersonalDataAccess(
  db: Executor<IntakeDb>,
  identity: Identity | null,
  subject: { dossier_id: string } | { feedback_id: string },
  purpose: string,
): Promise<void> {
  await db
    .insertInto('personal_data_access')
    .values({
      dossier_id: null,
      feedback_id: null,
      ...subject,
      actor: identity?.sub ?? 'unknown',
      actor_role: identity?.roles[0] ?? null,
      actor_agency: identity?.agencyCode ?? null,
      client_address: identity?.clientAddress ?? null,
      purpose,
    })
    .execute();
}

export async function listPersonalDataAccess(
  db: Executor<IntakeDb>,
  subject: { dossierId: string } | { feedbackId: string },
) {
  const q = db.selectFrom('personal_data_access').selectAll();
  return (
    'dossierId' in subject
      ? q.where('dossier_id', '=', subject.dossierId)
      : q.where('feedback_id', '=', subject.feedbackId)
  )
    .orderBy('id')
    .execute();
}

export async function auditAdmin(
  db: Executor<IntakeDb>,
  row: { actor: string; action: string; target: string; detail: unknown },
): Promise<void> {
  await db
    .insertInto('admin_audit')
    .values({ ...row, detail: JSON.stringify(row.detail) })
    .execute();
}
