import type { Executor } from '@tthc/db';
import { listAgencies } from '../db/agency.repository';
import { listFields } from '../db/field.repository';
import { allAsOf, type ProcedureFilter } from '../db/procedure.repository';
import type { CatalogueDb } from '../db/schema';
import type { FileProcedure } from '../domain/catalogue-file';
import type { ProcedureContent } from '../domain/procedure';
import type { ExportData } from '../io/spreadsheet-io';

/**
 * The catalogue as of a date in the import layout: each procedure's version in force (or its
 * draft) with the decision that published that version, so exporting and importing again
 * changes nothing.
 */
export async function exportCatalogue(
  db: Executor<CatalogueDb>,
  filter: ProcedureFilter,
): Promise<ExportData> {
  const [fields, agencies, rows] = await Promise.all([listFields(db), listAgencies(db), allAsOf(db, filter)]);
  const procedures: FileProcedure[] = rows.map((v) => ({
    code: v.code,
    ...(v.content as ProcedureContent),
    publication:
      v.state === 'published' && v.decision_number && v.decision_signed_on && v.valid_from
        ? {
            decisionNumber: v.decision_number,
            signedOn: v.decision_signed_on,
            effectiveFrom: v.valid_from,
            nationalPublishedOn: v.national_published_on,
          }
        : null,
  }));
  return {
    fields,
    agencies: agencies.map((a) => ({
      code: a.code,
      name: a.name,
      parentCode: a.parent_code,
      level: a.level,
      kind: a.kind,
      receivesFor: a.receives_for,
    })),
    procedures,
  };
}
