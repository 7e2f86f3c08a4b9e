import type { Insertable } from 'kysely';
import type { ProcedureVersionCopy } from '../db/procedure.repository';
import type { DossierTable } from '../db/schema';
import { normalizePhone, type Applicant } from '../domain/dossier-input';

/**
 * A new dossier row: what the procedure version and the applicant give, the rest as given
 * (a live receipt and an imported one differ only in those). Nothing is set by default that
 * a caller should have decided: status, dates, code and version are required.
 */
export function newDossierRow(
  p: ProcedureVersionCopy,
  applicant: Applicant,
  fields: Omit<
    Insertable<DossierTable>,
    | 'procedure_code'
    | 'procedure_version'
    | 'procedure_name'
    | 'field_code'
    | 'agency_code'
    | 'receiving_agency_code'
    | 'applicant_kind'
    | 'applicant_name'
    | 'applicant_contact'
    | 'applicant_phone'
    | 'applicant_id_number'
  >,
): Insertable<DossierTable> {
  const { kind, fullName, ...contact } = applicant;
  return {
    procedure_code: p.code,
    procedure_version: p.version,
    procedure_name: p.name,
    field_code: p.field_code,
    agency_code: p.deciding_agency_code,
    receiving_agency_code: p.receiving_agency_code,
    applicant_kind: kind,
    applicant_name: fullName,
    applicant_contact: JSON.stringify(contact),
    applicant_phone: contact.phone ? normalizePhone(contact.phone) : null,
    applicant_id_number: contact.idNumber ?? null,
    ...fields,
  };
}
