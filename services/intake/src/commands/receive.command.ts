import { randomUUID } from 'node:crypto';
import { outboxWritten } from '@tthc/bus';
import { vnDate, type WorkingCalendar } from '@tthc/calendar';
import {
  AuthorityLevel,
  type DossierComponent,
  type EventPayload,
  type ProcessingTime,
} from '@tthc/contracts';
import { afterCommit, IdempotencyKeyReused, requestHash } from '@tthc/db';
import { idempotencyProblem, problems } from '@tthc/service-kit';
import type { Insertable } from 'kysely';
import { requireFilingScope } from '../access';
import { findDossierBySource, type DossierRow } from '../db/dossier.repository';
import { findProcedureVersion, type ProcedureVersionCopy } from '../db/procedure.repository';
import { StaleSettings, storedAnswer, writeReceipt } from '../db/receipt.repository';
import type { DossierStepTable } from '../db/schema';
import { PAPER_TRANSFER_TASK, paperTransferDue } from '../domain/deadline';
import { CalendarProvider, NoRuleSetInForce, type RuleParams } from '../calendar';
import { dossierCodePrefix, pendingCode, provisionalReference, SERIAL_WIDTH } from '../domain/dossier-code';
import { missingComponents, type ReceiveDossier } from '../domain/dossier-input';
import { actorColumns, type IntakeContext } from './context';
import { dossierEventRecord, dossierRef, dueDates, emitDossierEvent, iso } from './dossier-events';
import { newDossierRow } from './dossier-row';
import { ensureProcedureCopy } from './procedure-copy.command';
import { receiptTerms } from './receipt-terms.command';

const MAX_HANDOVER_AGE_DAYS = 30;
/** Attempts of a receipt whose calendar or rule sets changed under it (each edit is rare: one more is plenty). */
const SETTINGS_ATTEMPTS = 3;

/**
 * Files a dossier: from the portal it waits for acceptance (status 1), at the desk it is received
 * (status 2) with its due date from the procedure's processing time for that channel, the
 * calendar and the rule set in force. The dossier, its first trail entry and its events commit
 * together.
 */
export async function receiveDossier(
  ctx: IntakeContext,
  input: ReceiveDossier,
  /** An Idempotency-Key's request: its answer is stored by the statement that files the dossier. */
  stored?: StoredAnswer,
): Promise<DossierRow> {
  // The terms are computed with the calendar and rule sets this process holds, unchecked; the
  // receipt statement checks their fingerprint in its own snapshot (one round trip where there
  // were two) and writes nothing when another replica or an admin changed them meanwhile: then
  // they are read again and the receipt computed again.
  for (let attempt = 1; ; attempt++) {
    const { stamp, settings } = await ctx.calendars.unchecked(ctx.db);
    try {
      return await receiveWith(
        { ...ctx, calendars: CalendarProvider.pinned(settings) },
        input,
        stored,
        stamp,
      );
    } catch (err) {
      // A changed fingerprint, or no rule set in force on the day in the snapshot held (another
      // replica may have just added one): read again.
      const stale = err instanceof StaleSettings || err instanceof NoRuleSetInForce;
      if (!stale || attempt >= SETTINGS_ATTEMPTS) throw err;
      ctx.calendars.invalidate();
    }
  }
}

type StoredAnswer = { scope: string; key: string; hash: string; answer: (d: DossierRow) => unknown };

async function receiveWith(
  ctx: IntakeContext,
  input: ReceiveDossier,
  stored: StoredAnswer | undefined,
  settingsStamp: string,
): Promise<DossierRow> {
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
  // Everything is read and decided before the one statement that writes: the procedure version,
  // the rule set and the calendar come from the in-process caches, nothing waits while a
  // transaction is open, and the agency's serial is held only for that statement.
  const terms = await receiptTerms(ctx.db, ctx, {
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
  const code = received ? pendingCode(p.receiving_agency_code, receivedAt) : reference!;
  const row = newDossierRow(p, input.applicant, {
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
    source_system: input.externalId ? portalSource(input.sourcePortal!) : null,
    source_id: input.externalId ?? null,
    version: 1,
  });
  // The row as the statement will return it (with the code it allocates): what events and the
  // stored answer are made of.
  const dossier = {
    ...row,
    applicant_contact: JSON.parse(row.applicant_contact as string) as unknown,
    components: input.components,
    processing_time: method.processingTime,
    supplement_count: 0,
    reschedule_count: 0,
    created_at: now,
    updated_at: now,
  } as DossierRow;
  const events = [
    ...(received ? [dossierEventRecord(ctx, dossier, 'dossier.received', receivedPayload(dossier, p))] : []),
    dossierEventRecord(ctx, dossier, 'dossier.status_changed', {
      ...dossierRef(dossier),
      action: received ? 'receive' : 'submit',
      from: null,
      to: dossier.status,
      at: now.toISOString(),
      timeliness: null,
      ...dueDates(dossier),
    }),
  ];
  const written = await writeReceipt(ctx.db, {
    code: received
      ? {
          serial: {
            agencyCode: p.receiving_agency_code,
            day: vnDate(receivedAt),
            prefix: dossierCodePrefix(p.receiving_agency_code, receivedAt),
            width: SERIAL_WIDTH,
          },
        }
      : { given: code },
    dossier: { insert: row },
    history: {
      row: {
        dossier_id: dossier.id,
        dossier_version: 1,
        action: received ? 'receive' : 'submit',
        from_status: null,
        to_status: dossier.status,
        ...actorColumns(ctx.actor),
        at: now,
        payload: JSON.stringify({
          channel: input.channel,
          dueAt: dueAt?.toISOString() ?? null,
          ruleSet: rules.id,
        }),
      },
      codePaths: [],
    },
    step:
      received && dossier.channel !== 'online'
        ? paperTransfer(dossier, terms.calendar, rules.params)
        : undefined,
    events,
    idempotency: stored ? { ...stored, status: 201, body: stored.answer(dossier) } : undefined,
    settingsStamp,
  });
  if (!written) throw new Error('the receipt statement returned no dossier');
  // The relay hears of the events once they are committed, not at its next tick.
  afterCommit(ctx.db, () => outboxWritten.notify());
  return written;
}

/** The source a portal submission is recorded under (with its external id: unique). */
export const portalSource = (portal: 'national' | 'provincial'): string => `portal:${portal}`;

/**
 * The dossier a portal submission already made, when the portal sends it again with its external
 * id: the earlier dossier, to be answered 200 with nothing created. Undefined for a first filing.
 */
export async function filedBefore(
  ctx: IntakeContext,
  input: ReceiveDossier,
): Promise<DossierRow | undefined> {
  if (!input.externalId || !input.sourcePortal) return undefined;
  return findDossierBySource(ctx.db, portalSource(input.sourcePortal), input.externalId);
}

/** Files a portal submission once per external id: a concurrent second filing loses on the unique key and answers the first. */
export async function fileByExternalId<T>(
  ctx: IntakeContext,
  input: ReceiveDossier,
  file: () => Promise<{ status: number; body: T }>,
  answer: (d: DossierRow) => T,
): Promise<{ status: number; body: T }> {
  const before = await filedBefore(ctx, input);
  if (before) return { status: 200, body: answer(before) };
  try {
    return await file();
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'dossiers_source_system_source_id_key') {
      const again = await filedBefore(ctx, input);
      if (again) return { status: 200, body: answer(again) };
    }
    throw err;
  }
}

/**
 * Files a dossier once per caller and Idempotency-Key (draft-ietf-httpapi-idempotency-key): a
 * retry gets the first answer back, the same key with another request a 422. The request stores
 * its answer in the very statement that files the dossier, and nothing is read before it: a
 * retry (or a request racing the first) fails that statement on the key, taking no serial, and
 * answers from the stored row. A retry that fails earlier (the procedure withdrawn since, the
 * officer moved) also answers from the stored row when there is one: a retry gets the first
 * answer whatever has changed.
 */
export async function fileOnce<T>(
  ctx: IntakeContext,
  input: ReceiveDossier,
  request: { scope: string; key: string },
  answer: (d: DossierRow) => T,
): Promise<{ status: number; body: T }> {
  const hash = requestHash(input);
  try {
    const d = await receiveDossier(ctx, input, { ...request, hash, answer });
    return { status: 201, body: answer(d) };
  } catch (err) {
    // The first answer, if the key has one; otherwise this request's own failure (also when the
    // look-up itself fails: the database gone, say).
    const prior = await storedAnswer(ctx.db, request.scope, request.key).catch(() => undefined);
    if (!prior) throw err;
    if (prior.request_hash !== hash) throw idempotencyProblem(new IdempotencyKeyReused(request.key));
    return { status: prior.status, body: prior.body as T };
  }
}

/**
 * A paper dossier (at the desk or by post) opens with its first hand-over step: from the desk to
 * the processing unit, due the same working day or the next morning (domain/deadline.ts). The
 * desk's assignment closes it, judged against that deadline.
 */
function paperTransfer(d: DossierRow, cal: WorkingCalendar, rules: RuleParams): Insertable<DossierStepTable> {
  const receivedAt = d.received_at ?? d.submitted_at;
  return {
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
    // The desk's own step (the statement that writes it writes the dossier too, unseen by the trigger).
    foreign_agency: false,
  };
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
  const p = await findProcedureVersion(tx, d.procedure_code, d.procedure_version);
  await emitDossierEvent(tx, ctx, d, 'dossier.received', receivedPayload(d, p));
}

/** The payload of dossier.received, from the dossier and the procedure version it was received under. */
export function receivedPayload(
  d: DossierRow,
  p: ProcedureVersionCopy | undefined,
): EventPayload<'dossier.received'> {
  const comps = d.components as { digitized?: boolean; reused?: boolean; fromCitizenStore?: boolean }[];
  return {
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
  };
}
