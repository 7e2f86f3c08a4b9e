import type { Executor } from '@tthc/db';
import type { Insertable, Selectable } from 'kysely';
import type { DossierTable, IntakeDb } from './schema';

export type DossierRow = Selectable<DossierTable>;

/**
 * Next serial of the day for an agency. The upsert takes a row lock, so concurrent receipts
 * (on any number of replicas) get distinct serials; a rolled-back receipt leaves a gap, never a duplicate.
 */
export async function nextSerial(db: Executor<IntakeDb>, agencyCode: string, day: string): Promise<number> {
  const row = await db
    .insertInto('dossier_serials')
    .values({ agency_code: agencyCode, day, last_serial: 1 })
    .onConflict((oc) =>
      oc.columns(['agency_code', 'day']).doUpdateSet((eb) => ({ last_serial: eb('dossier_serials.last_serial', '+', 1) })),
    )
    .returning('last_serial')
    .executeTakeFirstOrThrow();
  return row.last_serial;
}

export async function insertDossier(db: Executor<IntakeDb>, row: Insertable<DossierTable>): Promise<DossierRow> {
  return db.insertInto('dossiers').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findDossierByCode(db: Executor<IntakeDb>, code: string): Promise<DossierRow | undefined> {
  return db.selectFrom('dossiers').selectAll().where('code', '=', code).executeTakeFirst();
}
