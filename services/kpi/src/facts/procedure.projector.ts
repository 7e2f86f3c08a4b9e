import type { WorkingCalendar } from '@tthc/calendar';
import type { TypedEvent } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import { dossiersWithoutLevel, lockDossiers, noteAgencies } from '../db/dossier.repository';
import { addProcedureStatus, upsertProcedureVersion } from '../db/procedure.repository';
import type { KpiDb } from '../db/schema';
import { refoldDossiers } from './dossier.projector';

type VersionEvent = TypedEvent<'procedure.published'> | TypedEvent<'procedure.changed'>;
type StatusEvent =
  TypedEvent<'procedure.suspended'> | TypedEvent<'procedure.resumed'> | TypedEvent<'procedure.abolished'>;

/**
 * Keeps every procedure version with its validity window (valid from its date until the next
 * version's), so a closed period's procedure figures do not change after an amendment.
 */
export async function applyProcedureVersion(
  tx: Executor<KpiDb>,
  event: VersionEvent,
  cal?: WorkingCalendar,
): Promise<void> {
  const p = event.payload;
  await upsertProcedureVersion(tx, {
    code: p.code,
    version: p.version,
    procedure_id: p.procedureId,
    name: p.name,
    field_code: p.fieldCode,
    deciding_agency_code: p.decidingAgencyCode,
    receiving_agency_code: p.receivingAgencyCode,
    authority_level: p.authorityLevel,
    online_level: p.onlineLevel,
    legacy_level: p.legacyLevel,
    fee_bearing: p.feeBearing,
    online_payment: p.onlinePayment,
    complete: p.complete,
    result_is_paper: p.resultIsPaper,
    decision_number: p.decisionNumber,
    decision_signed_on: p.decisionSignedOn,
    national_published_on: p.nationalPublishedOn,
    legal_basis_effective_from: p.legalBasisEffectiveFrom,
    valid_from: p.validFrom,
    event_version: event.entityVersion,
  });
  await addProcedureStatus(tx, {
    code: p.code,
    effective_from: p.validFrom,
    status: 'published',
    version: p.version,
    decision_number: p.decisionNumber,
    event_version: event.entityVersion,
  });
  await noteAgencies(tx, [p.decidingAgencyCode, p.receivingAgencyCode]);
  // Dossiers whose version-1 events lacked the authority level get it from this version.
  // Locked in id order, as every transaction locks several (no deadlock with a consumer's batch).
  const ids = (await dossiersWithoutLevel(tx, p.code, p.version)).sort();
  await lockDossiers(tx, ids);
  await refoldDossiers(tx, ids, cal);
}

export async function applyProcedureStatus(tx: Executor<KpiDb>, event: StatusEvent): Promise<void> {
  const p = event.payload;
  await addProcedureStatus(tx, {
    code: p.code,
    effective_from: p.effectiveFrom,
    status: p.status,
    version: p.version,
    decision_number: p.decisionNumber,
    event_version: event.entityVersion,
  });
}
