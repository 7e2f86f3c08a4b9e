import type { Selectable } from 'kysely';
import type { DossierHistoryTable, DossierTable } from '../../db/schema';
import type { NotifyExecutor } from './notification.schema';

export type DossierForMessage = Selectable<DossierTable>;

export async function dossierById(db: NotifyExecutor, id: string): Promise<DossierForMessage | undefined> {
  return db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function dossierByCode(
  db: NotifyExecutor,
  code: string,
): Promise<
  | Pick<
      DossierForMessage,
      'id' | 'code' | 'agency_code' | 'receiving_agency_code' | 'applicant_contact' | 'applicant_phone'
    >
  | undefined
> {
  return (
    db
      .selectFrom('dossiers')
      .select(['id', 'code', 'agency_code', 'receiving_agency_code', 'applicant_contact', 'applicant_phone'])
      // A submission is also found by its provisional reference (see domain/dossier-code.ts).
      .where((eb) => (code.startsWith('P-') ? eb('reference', '=', code) : eb('code', '=', code)))
      .executeTakeFirst()
  );
}

/** The steps of a dossier, as the agency-scope rule reads them. */
export async function stepsOfDossier(db: NotifyExecutor, dossierId: string) {
  return db
    .selectFrom('dossier_steps')
    .select(['seq', 'agency_code', 'completed_at'])
    .where('dossier_id', '=', dossierId)
    .execute();
}

/**
 * The trail entry of the change an event describes: the event carries the dossier's version
 * after the change, and the trail entry of that change the same version. What the officer typed
 * (a reason, an amount) is in its payload.input.
 */
export async function historyEntryAt(
  db: NotifyExecutor,
  dossierId: string,
  version: number,
): Promise<Pick<Selectable<DossierHistoryTable>, 'action' | 'to_status' | 'payload'> | undefined> {
  return db
    .selectFrom('dossier_history')
    .select(['action', 'to_status', 'payload'])
    .where('dossier_id', '=', dossierId)
    .where('dossier_version', '=', version)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
