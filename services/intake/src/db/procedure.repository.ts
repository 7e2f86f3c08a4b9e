import type { Executor } from '@tthc/db';
import type { Insertable, Selectable } from 'kysely';
import type { IntakeDb, ProcedureCopyTable } from './schema';

export type ProcedureCopy = Selectable<ProcedureCopyTable>;

/** Applies a catalogue event; an older version than the one held is ignored (events may arrive out of order). */
export async function upsertProcedure(db: Executor<IntakeDb>, row: Insertable<ProcedureCopyTable>): Promise<void> {
  await db
    .insertInto('procedures')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('code')
        .doUpdateSet((eb) => ({
          procedure_id: eb.ref('excluded.procedure_id'),
          version: eb.ref('excluded.version'),
          name: eb.ref('excluded.name'),
          field_code: eb.ref('excluded.field_code'),
          agency_code: eb.ref('excluded.agency_code'),
          processing_days: eb.ref('excluded.processing_days'),
          online_level: eb.ref('excluded.online_level'),
          status: eb.ref('excluded.status'),
          updated_at: new Date(),
        }))
        .whereRef('procedures.version', '<=', 'excluded.version'),
    )
    .execute();
}

export async function markProcedureAbolished(db: Executor<IntakeDb>, code: string, version: number): Promise<void> {
  await db
    .updateTable('procedures')
    .set({ status: 'abolished', updated_at: new Date() })
    .where('code', '=', code)
    .where('version', '<=', version)
    .execute();
}

export async function findProcedure(db: Executor<IntakeDb>, code: string): Promise<ProcedureCopy | undefined> {
  return db.selectFrom('procedures').selectAll().where('code', '=', code).executeTakeFirst();
}
