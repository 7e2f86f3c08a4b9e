import { randomUUID } from 'node:crypto';
import { vnDate } from '@tthc/calendar';
import type { ProcessingTime } from '@tthc/contracts';
import { outboxWritten } from '@tthc/bus';
import { afterCommit, withTransaction, type Tx } from '@tthc/db';
import { HttpProblem, problems } from '@tthc/service-kit';
import { appendHistory, findDossierByCode, updateDossier, type DossierRow } from '../db/dossier.repository';
import {
  closeOpenSteps,
  completeSupplement,
  insertPayment,
  insertSupplement,
  listSteps,
} from '../db/facts.repository';
import type { IntakeDb } from '../db/schema';
import { requireDossierAction } from '../access';
import type { Change, Inputs, Subject } from './action-plan';
import { checkReschedule, dueDateFor, judge, supplementWithinWindow } from '../domain/deadline';
import { judgedDueDate, resumeClock } from '../domain/dossier-clock';
import { allowedFrom, canApply, nextStatus, STATUS_CODES, type DossierAction } from '../domain/lifecycle';
import type { IntakeContext } from './context';
import { dossierEventRecord, dossierRef, dueDates, emitDossierEvent, iso } from './dossier-events';
import { receivedPayload } from './receive.command';
import { receiptTerms } from './receipt-terms.command';
import { dossierCodePrefix, pendingCode, SERIAL_WIDTH } from '../domain/dossier-code';
import { writeReceipt } from '../db/receipt.repository';
import { planAssignment, planStepEnd } from './step.command';

function requireVersion(d: DossierRow, ifMatch: number | undefined): void {
  if (ifMatch === undefined) {
    throw new HttpProblem(
      428,
      'precondition_required',
      'Thiếu If-Match',
      'send If-Match with the ETag of the dossier you read',
    );
  }
  if (ifMatch !== d.version) {
    throw problems.preconditionFailed(
      `dossier ${d.code} changed since you read it (now at version ${d.version})`,
    );
  }
}

/**
 * Applies one lifecycle action: checks it is legal from the current status (409 naming it),
 * that the caller read the current version (If-Match, 412), computes the change, writes it with
 * its trail entry and events in one transaction.
 */
export async function applyAction<A extends DossierAction>(
  ctx: IntakeContext,
  code: string,
  action: A,
  input: Inputs[A],
  ifMatch: number | undefined,
  options: { requireIfMatch?: boolean } = {},
): Promise<DossierRow> {
  return withTransaction(ctx.db, async (tx) => {
    const d = await findDossierByCode(tx, code, true);
    if (!d) throw problems.notFound('dossier', `dossier ${code} not found`);
    const steps = await listSteps(tx, d.id);
    const access = requireDossierAction(ctx.actor.scope, d, steps, action);
    if (options.requireIfMatch !== false) requireVersion(d, ifMatch);
    if (!canApply(d.status, action)) {
      throw problems.conflict(
        'invalid_transition',
        `dossier ${code} is ${d.status} (${STATUS_CODES[d.status]}): ${action} is not allowed; allowed: ${allowedFrom(d.status).join(', ') || 'none'}`,
        { currentStatus: d.status, currentStatusCode: STATUS_CODES[d.status] },
      );
    }
    if (action === 'accept') return accept(tx, ctx, d);
    const to = nextStatus(d.status, action);
    const change = await plan(tx, ctx, { d, steps, access }, action, input);
    const updated = await updateDossier(tx, d.id, d.version, { ...change.set, status: to });
    if (!updated) throw problems.preconditionFailed(`dossier ${code} changed while this request ran`);
    await appendHistory(tx, {
      dossier_id: d.id,
      dossier_version: updated.version,
      action,
      from_status: d.status,
      to_status: to,
      actor: ctx.actor.sub,
      actor_role: ctx.actor.role,
      actor_agency: ctx.actor.agencyCode,
      at: ctx.clock(),
      payload: JSON.stringify({ input: change.payload, changed: diff(d, updated) }),
    });
    await change.after?.(tx, updated);
    if (to !== d.status) {
      await emitDossierEvent(tx, ctx, updated, 'dossier.status_changed', {
        ...dossierRef(updated),
        action,
        from: d.status,
        to,
        at: ctx.clock().toISOString(),
        timeliness: to === 'withdrawn' || to === 'stopped' ? updated.timeliness : null,
        ...dueDates(updated),
      });
    }
    return updated;
  });
}

/**
 * The desk receives the submission now: the code (receipt date and the day's serial), the
 * procedure version and the rule set are those of the acceptance (Thông tư 01/2018/TT-VPCP). The
 * change, its trail entry and its events are written by one statement that also takes the
 * day's serial, the last before the commit, so the agency's serial is held for that moment only.
 */
async function accept(tx: Tx<IntakeDb>, ctx: IntakeContext, d: DossierRow): Promise<DossierRow> {
  const now = ctx.clock();
  const terms = await receiptTerms(tx, ctx, {
    procedureCode: d.procedure_code,
    channel: d.channel,
    receivedAt: now,
  });
  const p = terms.version;
  const code = pendingCode(p.receiving_agency_code, now);
  const set = {
    status: 'received' as const,
    received_at: now,
    due_at: terms.dueAt,
    original_due_at: terms.dueAt,
    legal_due_at: terms.dueAt,
    procedure_version: p.version,
    procedure_name: p.name,
    field_code: p.field_code,
    agency_code: p.deciding_agency_code,
    receiving_agency_code: p.receiving_agency_code,
    processing_time: terms.method.processingTime,
    rule_set_id: terms.rules.id,
    version: d.version + 1,
  };
  // The row as the statement returns it, but for the code it allocates.
  const updated: DossierRow = { ...d, ...set, code, updated_at: now };
  const events = [
    dossierEventRecord(ctx, updated, 'dossier.received', receivedPayload(updated, p)),
    dossierEventRecord(ctx, updated, 'dossier.status_changed', {
      ...dossierRef(updated),
      action: 'accept',
      from: d.status,
      to: 'received',
      at: now.toISOString(),
      timeliness: null,
      ...dueDates(updated),
    }),
  ];
  const written = await writeReceipt(tx, {
    code: {
      serial: {
        agencyCode: p.receiving_agency_code,
        day: vnDate(now),
        prefix: dossierCodePrefix(p.receiving_agency_code, now),
        width: SERIAL_WIDTH,
      },
    },
    dossier: { update: { id: d.id, version: d.version, set } },
    history: {
      row: {
        dossier_id: d.id,
        dossier_version: updated.version,
        action: 'accept',
        from_status: d.status,
        to_status: 'received',
        actor: ctx.actor.sub,
        actor_role: ctx.actor.role,
        actor_agency: ctx.actor.agencyCode,
        at: now,
        payload: {
          input: {
            code,
            reference: d.reference,
            dueAt: terms.dueAt.toISOString(),
            procedureVersion: p.version,
            ruleSet: terms.rules.id,
          },
          changed: diff(d, updated),
        },
      },
      codePaths: [
        ['input', 'code'],
        ['changed', 'code', 'to'],
      ],
    },
    events,
  });
  if (!written) throw problems.preconditionFailed(`dossier ${d.code} changed while this request ran`);
  afterCommit(tx, () => outboxWritten.notify());
  return written;
}

/** What changed between two versions of a row (for the trail), bookkeeping columns left out. */
function diff(before: DossierRow, after: DossierRow): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof DossierRow)[]) {
    if (key === 'version' || key === 'updated_at') continue;
    const a = JSON.stringify(before[key]);
    const b = JSON.stringify(after[key]);
    if (a !== b) out[key] = { from: before[key], to: after[key] };
  }
  return out;
}

async function plan(
  tx: Tx<IntakeDb>,
  ctx: IntakeContext,
  subject: Subject,
  action: DossierAction,
  raw: unknown,
): Promise<Change> {
  const { d } = subject;
  const now = ctx.clock();
  const rules = (await ctx.calendars.ruleSetById(tx, d.rule_set_id)).params;
  const time = d.processing_time as ProcessingTime;
  const ended = (reason: string): Change => ({
    // Withdrawn and stopped dossiers count as on time whatever their date; never received counts nowhere.
    set: {
      ended_at: d.received_at ? now : null,
      timeliness: d.received_at ? 'on_time' : null,
      waiting_since: null,
    },
    after: (t) => closeOpenSteps(t, d.id, now, ctx.actor.sub),
    payload: { reason },
  });
  switch (action) {
    case 'accept':
      throw new Error('an acceptance is written by accept()');
    case 'refuse':
      return { set: {}, payload: raw as Inputs['refuse'] };
    case 'assign':
      return planAssignment(tx, ctx, subject, raw as Inputs['assign'], rules);
    case 'complete_step':
      return planStepEnd(ctx, subject, raw as Inputs['complete_step']);
    case 'request_supplement': {
      const i = raw as Inputs['request_supplement'];
      const within = d.received_at
        ? supplementWithinWindow(await ctx.calendars.get(tx), d.received_at, now, rules)
        : true;
      return {
        set: { supplement_count: d.supplement_count + 1, waiting_since: now },
        after: async (t, u) => {
          await insertSupplement(t, {
            dossier_id: d.id,
            requested_at: now,
            reason: i.reason,
            items: JSON.stringify(i.items),
            within_legal_window: within,
            due_at_before: d.due_at,
            completed_at: null,
            due_at_after: null,
          });
          await emitDossierEvent(t, ctx, u, 'dossier.supplement_requested', {
            ...dossierRef(u),
            requestedAt: now.toISOString(),
            reason: i.reason,
            items: i.items,
            withinLegalWindow: within,
            dueAtBefore: iso(d.due_at),
          });
        },
        payload: { ...i, withinLegalWindow: within },
      };
    }
    case 'complete_supplement': {
      // The processing time starts again from zero (Nghị định 61/2018 Art. 19.4) when the rule set
      // says so; otherwise the clock resumes, moved by the working days spent waiting. The original
      // due date never moves; the facts keep each request and completion so the indicator view
      // (waiting time subtracted, more than one request late) can be computed too.
      const cal = await ctx.calendars.get(tx);
      const resumed = resumeClock(cal, d, now);
      const restarted = rules.restartClockAfterSupplement ? dueDateFor(cal, now, time, rules) : null;
      const dueAt = restarted ?? resumed.due_at;
      const legalDueAt = restarted ?? resumed.legal_due_at;
      return {
        set: { due_at: dueAt, legal_due_at: legalDueAt, waiting_since: null },
        after: async (t, u) => {
          await completeSupplement(t, d.id, now, dueAt);
          await emitDossierEvent(t, ctx, u, 'dossier.supplement_completed', {
            ...dossierRef(u),
            completedAt: now.toISOString(),
            dueAt: iso(dueAt),
            legalDueAt: iso(legalDueAt),
            waitedWorkingDays: resumed.waited,
          });
        },
        payload: {
          dueAt: iso(dueAt),
          legalDueAt: iso(legalDueAt),
          restarted: restarted !== null,
          waitedWorkingDays: resumed.waited,
        },
      };
    }
    case 'request_payment':
      return { set: { waiting_since: now }, payload: raw as Inputs['request_payment'] };
    case 'record_payment': {
      const i = raw as Inputs['record_payment'];
      const paidAt = i.paidAt ? new Date(i.paidAt) : now;
      if (paidAt > now) {
        throw problems.badRequest('paid_in_future', 'paidAt is in the future', [
          { in: 'body', pointer: '/paidAt', detail: 'must not be in the future' },
        ]);
      }
      const id = randomUUID();
      // Paying ends a wait for the payment: the clock resumes from the moment of payment, moved by
      // the working days spent waiting unless the rule set lets waiting count (paymentWait).
      const resume = d.status === 'awaiting_payment';
      const resumed =
        resume && rules.paymentWait === 'pause' ? resumeClock(await ctx.calendars.get(tx), d, paidAt) : null;
      return {
        set: resume
          ? {
              waiting_since: null,
              ...(resumed ? { due_at: resumed.due_at, legal_due_at: resumed.legal_due_at } : {}),
            }
          : {},
        after: async (t, u) => {
          const added = await insertPayment(t, {
            id,
            dossier_id: d.id,
            amount: i.amount,
            method: i.method,
            online: i.online,
            receipt_number: i.receiptNumber ?? null,
            paid_at: paidAt,
            recorded_by: ctx.actor.sub,
          });
          if (!added)
            throw problems.conflict(
              'payment_exists',
              `receipt ${i.receiptNumber} is already recorded for ${d.code}`,
            );
          await emitDossierEvent(t, ctx, u, 'dossier.paid', {
            ...dossierRef(u),
            paymentId: id,
            amount: i.amount,
            method: i.method,
            online: i.online,
            paidAt: paidAt.toISOString(),
          });
        },
        payload: {
          ...i,
          paymentId: id,
          ...(resumed ? { waitedWorkingDays: resumed.waited, dueAt: iso(resumed.due_at) } : {}),
        },
      };
    }
    case 'reschedule': {
      const i = raw as Inputs['reschedule'];
      const newDueAt = new Date(i.newDueAt);
      if (!d.due_at) throw problems.conflict('no_due_date', `dossier ${d.code} has no due date to move`);
      const check = checkReschedule(now, d.due_at, newDueAt, d.reschedule_count, rules);
      if (!check.ok) {
        throw problems.unprocessable(
          'reschedule_not_allowed',
          check.reason,
          check.pointer ? [{ in: 'body', pointer: check.pointer, detail: check.reason }] : undefined,
        );
      }
      // A reschedule moves only the appointment: the dossier is still judged against its legal
      // due date (domain.md, Timeliness), and the date printed at receipt never moves.
      const original = judgedDueDate(d) ?? d.due_at;
      return {
        set: { due_at: newDueAt, reschedule_count: d.reschedule_count + 1 },
        after: (t, u) =>
          emitDossierEvent(t, ctx, u, 'dossier.rescheduled', {
            ...dossierRef(u),
            at: now.toISOString(),
            reason: i.reason,
            originalDueAt: original.toISOString(),
            newDueAt: newDueAt.toISOString(),
          }),
        payload: { ...i, originalDueAt: original.toISOString(), newDate: vnDate(newDueAt) },
      };
    }
    case 'resolve': {
      const i = raw as Inputs['resolve'];
      const judgedDue = judgedDueDate(d);
      const verdict = judge(now, judgedDue, 'resolved');
      return {
        set: { ended_at: now, timeliness: verdict, result: JSON.stringify(i) },
        after: async (t, u) => {
          await closeOpenSteps(t, d.id, now, ctx.actor.sub);
          await emitDossierEvent(t, ctx, u, 'dossier.resolved', {
            ...dossierRef(u),
            resolvedAt: now.toISOString(),
            judgedDueAt: iso(judgedDue),
            timeliness: verdict,
            eResult: i.eResult,
            resultDigitized: i.resultDigitized,
          });
        },
        payload: { ...i, timeliness: verdict },
      };
    }
    case 'return': {
      const i = raw as Inputs['return'];
      return {
        set: { return_info: JSON.stringify({ ...i, returnedAt: now.toISOString() }) },
        after: (t, u) =>
          emitDossierEvent(t, ctx, u, 'dossier.returned', {
            ...dossierRef(u),
            returnedAt: now.toISOString(),
            method: i.method,
            trackingNumber: i.trackingNumber ?? null,
          }),
        payload: i,
      };
    }
    case 'withdraw':
      return ended((raw as Inputs['withdraw']).reason);
    case 'stop':
      return ended((raw as Inputs['stop']).reason);
  }
}
