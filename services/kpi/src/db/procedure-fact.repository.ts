import type { Executor } from '@tthc/db';
import type { Insertable } from 'kysely';
import type { KpiDb, ProcedureFactTable } from './schema';

/** Applies a catalogue event unless a newer version is already held. */
export async function upsertProcedureFact(db: Executor<KpiDb>, row: Insertable<ProcedureFactTable>): Promise<void> {
  await db
    .insertInto('procedure_facts')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('code')
        .doUpdateSet((eb) => ({
          version: eb.ref('excluded.version'),
          field_code: eb.fn.coalesce('excluded.field_code', 'procedure_facts.field_code'),
          agency_code: eb.fn.coalesce('excluded.agency_code', 'procedure_facts.agency_code'),
          online_level: eb.fn.coalesce('excluded.online_level', 'procedure_facts.online_level'),
          status: eb.ref('excluded.status'),
          updated_at: new Date(),
        }))
        .whereRef('procedure_facts.version', '<=', 'excluded.version'),
    )
    .execute();
}
