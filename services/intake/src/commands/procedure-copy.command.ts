import type { EventPayload, JobResult } from '@tthc/contracts';
import { afterCommit, withTransaction, type Executor } from '@tthc/db';
import { addProcedureStatus, procedureInForce, upsertProcedureVersion } from '../db/procedure.repository';
import type { IntakeDb, ProcedureStatusCopyTable } from '../db/schema';
import { procedureCopyChanged, type ProcedureCache } from './procedure-cache';

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
  await copyProcedureStatus(db, {
    code: p.code,
    effective_from: p.validFrom,
    status: 'published',
    event_version: eventVersion,
  });
}

/** Records a status change of a procedure; the in-process caches drop their copy once it commits. */
export async function copyProcedureStatus(
  db: Executor<IntakeDb>,
  row: ProcedureStatusCopyTable,
): Promise<void> {
  await addProcedureStatus(db, row);
  afterCommit(db, () => procedureCopyChanged.notify());
}

/**
 * Makes sure the copy knows a procedure before a receipt looks it up: when no version is in
 * force on the date, asks the catalogue (a procedure can receive dossiers as soon as its
 * publication has been answered, not only once its event has travelled) and copies what it
 * answers. Snapshot rows carry event version 0, so the events, when they come, take precedence.
 * Outside any transaction: the question waits on another service.
 */
export async function ensureProcedureCopy(
  ctx: {
    db: Executor<IntakeDb>;
    catalogue?: ProcedureSource | undefined;
    procedures?: ProcedureCache | undefined;
  },
  code: string,
  date: string,
): Promise<void> {
  if (!ctx.catalogue) return;
  const found = ctx.procedures
    ? await ctx.procedures.inForce(ctx.db, code, date)
    : await procedureInForce(ctx.db, code, date);
  if (found) return;
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
      await copyProcedureStatus(tx, {
        code,
        effective_from: s.effectiveFrom,
        status: s.status,
        event_version: 0,
      });
  });
}
