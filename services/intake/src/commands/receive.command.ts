import { randomUUID } from 'node:crypto';
import { vnDate, type WorkingCalendar } from '@tthc/calendar';
import { AuthorityLevel, type DossierComponent, type ProcessingTime } from '@tthc/contracts';
import { withTransaction, type Tx } from '@tthc/db';
import { problems } from '@tthc/service-kit';
import { appendHistory, insertDossier, nextSerial, type DossierRow } from '../db/dossier.repository';
import { requireFilingScope } from '../access';
import { insertStep } from '../db/facts.repository';
import { findProcedureVersion } from '../db/procedure.repository';
import type { IntakeDb } from '../db/schema';
import { PAPER_TRANSFER_TASK, paperTransferDue } from '../domain/deadline';
import type { RuleParams } from '../calendar';
import { dossierCode, provisionalReference } from '../domain/dossier-code';
import { missingComponents, type ReceiveDossier } from '../domain/dossier-input';
import type { IntakeContext } from './context';
import { dossierRef, dueDates, emitDossierEvent, iso } from './dossier-events';
import { newDossierRow } from './dossier-row';
import { ensureProcedureCopy } from './procedure-copy.command';
import { receiptTerms } from './receipt-terms.command';

const MAX_HANDOVER_AGE_DAYS = 30;

/**
 * Files a dossier: from the portal it waits for acceptance (status 1), at the desk it is received
 * (status 2) with its due date from the procedure's processing time for that channel, the
 * calendar and the rule set in force. The dossier, its first trail entry and its events commit
 * together.
 */
export async function receiveDossier(ctx: IntakeContext, input: ReceiveDossier): Promise<DossierRow> {
  const now = ctx.clock();
  let receivedAt = now;
  if (input.handedOverAt) {
    const at = new Date(input.handedOverAt);
    if (input.channel !== 'postal') {
      throw problems.badRequest('handover_not_postal', 'handedOverAt is for postal receipts only', [
        { in: 'body', pointer: '/handedOverAt', detail: 'only with channel postal' },
      ]);
    }
    if (at > now || now.getTime() - at.getTime() > MAX_HANDOVER_AGE_DAYS * 86_400_000) {
      throw problems.badRequest(
        'invalid_handover_time',
        `the hand-over must be in the last ${MAX_HANDOVER_AGE_DAYS} days, not in the future`,
        [{ in: 'body', pointer: '/handedOverAt', detail: 'in the future or too old' }],
      );
    }
    receivedAt = at;
  }
  await ensureProcedureCopy(ctx, input.procedureCode, vnDate(receivedAt));
  return withTransaction(ctx.db, async (tx) => {
    const today = vnDate(receivedAt);
    const terms = await receiptTerms(tx, ctx, {
      procedureCode: input.procedureCode,
      channel: input.channel,
      receivedAt,
    });
    const { version: p, method, rules } = terms;
    requireFilingScope(ctx.actor.scope, p);
    const required = p.components as DossierComponent[];
    const cases = [...new Set(required.map((c) => c.case).filter((c): c is string => c !== null))];
    if (input.case !== null && !cases.some((c) => c.toLowerCase() === input.case!.toLowerCase())) {
      throw problems.unprocessable('unknown_case', `procedure ${p.code} has no case "${input.case}"`, [
        {
          in: 'body',
          pointer: '/case',
          detail: cases.length ? `one of: ${cases.join('; ')}` : 'this procedure has no cases',
        },
      ]);
    }
    const missing = missingComponents(required, input.case, input.components);
    if (missing.length > 0) {
      throw problems.unprocessable(
        'missing_components',
        `required components missing: ${missing.join('; ')}`,
        missing.map((name) => ({ in: 'body' as const, pointer: '/components', detail: `missing: ${name}` })),
      );
    }
    // A desk receipt gets its code and due date now; a portal submission waits for the desk
    // with a provisional reference and uses no serial until accepted (Thông tư 01/2018/TT-VPCP).
    const received = input.source === 'desk';
    const dueAt = received ? terms.dueAt : null;
    const reference = received ? null : provisionalReference(receivedAt);
    const code = received
      ? dossierCode(p.receiving_agency_code, receivedAt, await nextSerial(tx, p.receiving_agency_code, today))
      : reference!;
    const dossier = await insertDossier(
      tx,
      newDossierRow(p, input.applicant, {
        id: randomUUID(),
        code,
        reference,
        channel: input.channel,
        home_service: input.homeService,
        population_data_used: input.populationDataUsed,
        status: received ? 'received' : 'submitted',
        components: JSON.stringify(input.components),
        case_name: input.case,
        fees_due: input.feesDue ?? method.fees.reduce((sum, f) => sum + f.amount, 0),
        processing_time: JSON.stringify(method.processingTime),
        rule_set_id: rules.id,
        submitted_at: receivedAt,
        received_at: received ? receivedAt : null,
        due_at: dueAt,
        original_due_at: dueAt,
        legal_due_at: dueAt,
        waiting_since: null,
        ended_at: null,
        timeliness: null,
        current_unit: null,
        current_officer: null,
        result: null,
        return_info: null,
        source_system: null,
        source_id: null,
        version: 1,
      }),
    );
    await appendHistory(tx, {
      dossier_id: dossier.id,
      dossier_version: 1,
      action: received ? 'receive' : 'submit',
      from_status: null,
      to_status: dossier.status,
      actor: ctx.actor.sub,
      actor_role: ctx.actor.role,
      actor_agency: ctx.actor.agencyCode,
      at: now,
      payload: JSON.stringify({
        channel: input.channel,
        dueAt: dueAt?.toISOString() ?? null,
        ruleSet: rules.id,
      }),
    });
    if (received) {
      await emitReceived(tx, ctx, dossier);
      if (dossier.channel !== 'online') await openPaperTransfer(tx, dossier, terms.calendar, rules.params);
    }
    await emitDossierEvent(tx, ctx, dossier, 'dossier.status_changed', {
      ...dossierRef(dossier),
      action: received ? 'receive' : 'submit',
      from: null,
      to: dossier.status,
      at: now.toISOString(),
      timeliness: null,
      ...dueDates(dossier),
    });
    return dossier;
  });
}

/**
 * A paper dossier (at the desk or by post) opens with its first hand-over step: from the desk to
 * the processing unit, due the same working day or the next morning (domain/deadline.ts). The
 * desk's assignment closes it, judged against that deadline.
 */
async function openPaperTransfer(
  tx: Tx<IntakeDb>,
  d: DossierRow,
  cal: WorkingCalendar,
  rules: RuleParams,
): Promise<void> {
  const receivedAt = d.received_at ?? d.submitted_at;
  await insertStep(tx, {
    dossier_id: d.id,
    seq: 1,
    agency_code: d.receiving_agency_code,
    unit: null,
    officer: null,
    task: PAPER_TRANSFER_TASK,
    mode: 'internal',
    assigned_at: receivedAt,
    due_at: paperTransferDue(cal, receivedAt, rules),
    completed_at: null,
    outcome: null,
    completed_by: null,
    note: null,
  });
}

/**
 * dossier.received: the figures of the receipt (channel, components digitized or reused, fees)
 * and the procedure's classification as it was in the version the dossier was received under.
 */
export async function emitReceived(
  tx: Parameters<typeof emitDossierEvent>[0],
  ctx: IntakeContext,
  d: DossierRow,
): Promise<void> {
  const comps = d.components as { digitized: boolean; reused: boolean; fromCitizenStore: boolean }[];
  const p = await findProcedureVersion(tx, d.procedure_code, d.procedure_version);
  await emitDossierEvent(tx, ctx, d, 'dossier.received', {
    ...dossierRef(d),
    procedureVersion: d.procedure_version,
    homeService: d.home_service,
    submittedAt: d.submitted_at.toISOString(),
    receivedAt: (d.received_at ?? d.submitted_at).toISOString(),
    dueAt: d.due_at?.toISOString() ?? null,
    feesDue: d.fees_due,
    components: {
      total: comps.length,
      digitized: comps.filter((c) => c.digitized).length,
      reused: comps.filter((c) => c.reused).length,
      fromCitizenStore: comps.filter((c) => c.fromCitizenStore).length,
    },
    ruleSetId: d.rule_set_id,
    authorityLevel: AuthorityLevel.safeParse(p?.authority_level).data ?? null,
    onlineLevel: p?.online_level ?? null,
    legacyLevel: p?.legacy_level ?? null,
    feeBearing: p?.fee_bearing ?? null,
    resultIsPaper: p?.result_is_paper ?? null,
    processingTime: d.processing_time as ProcessingTime,
    populationDataUsed: d.population_data_used,
    originalDueAt: iso(d.original_due_at),
  });
}
