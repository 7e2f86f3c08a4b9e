import type { EventPayload, JobResult } from '@tthc/contracts';
import { withTransaction, type Executor } from '@tthc/db';
import { addProcedureStatus, procedureInForce, upsertProcedureVersion } from '../db/procedure.repository';
import type { IntakeDb } from '../db/schema';

/** Where the intake asks for a procedure its copy lacks (the catalogue, over its jobs queue). */
export interface ProcedureSource {
  snapshot: (code: string) => Promise<JobResult<'catalogue.procedure-snapshot'>>;
}

/** Copies a published procedure version (from its event, or from a snapshot); a copy already there stays. */
export async function copyPublishedVersion(
  db: Executor<IntakeDb>,
  p: EventPayload<'procedure.published'>,
  eventVersion: number,
): Promise<void> {
  await upsertProcedureVersion(db, {
    code: p.code,
    version: p.version,
    procedure_id: p.procedureId,
    name: p.name,
    field_code: p.fieldCode,
    deciding_agency_code: p.decidingAgencyCode,
    receiving_agency_code: p.receivingAgencyCode,
    online_level: p.onlineLevel,
    methods: JSON.stringify(p.methods),
    components: JSON.stringify(p.components),
    inter_agency: p.interAgency ? JSON.stringify(p.interAgency) : null,
    fee_bearing: p.feeBearing,
    authority_level: p.authorityLevel,
    legacy_level: p.legacyLevel,
    result_is_paper: p.resultIsPaper,
    online_payment: p.onlinePayment,
    valid_from: p.validFrom,
  });
  await addProcedureStatus(db, {
    code: p.code,
    effective_from: p.validFrom,
    status: 'published',
    event_version: eventVersion,
  });
}

/**
 * Makes sure the copy knows a procedure before a receipt looks it up: when no version is in
 * force on the date, asks the catalogue (a procedure can receive dossiers as soon as its
 * publication has been answered, not only once its event has travelled) and copies what it
 * answers. Snapshot rows carry event version 0, so the events, when they come, take precedence.
 * Outside any transaction: the question waits on another service.
 */
export async function ensureProcedureCopy(
  ctx: { db: Executor<IntakeDb>; catalogue?: ProcedureSource | undefined },
  code: string,
  date: string,
): Promise<void> {
  if (!ctx.catalogue || (await procedureInForce(ctx.db, code, date))) return;
  let snapshot: JobResult<'catalogue.procedure-snapshot'>;
  try {
    snapshot = await ctx.catalogue.snapshot(code);
  } catch {
    return; // no answer in time: the receipt answers as the copy stands (unknown procedure)
  }
  if (!snapshot.found) return;
  await withTransaction(ctx.db, async (tx) => {
    for (const v of snapshot.versions) await copyPublishedVersion(tx, v, 0);
    for (const s of snapshot.statuses)
      await addProcedureStatus(tx, {
        code,
        effective_from: s.effectiveFrom,
        status: s.status,
        event_version: 0,
      });
  });
}
