import { randomUUID } from 'node:crypto';
import { vnDate } from '@tthc/calendar';
import type { ProcedureMethod } from '@tthc/contracts';
import { withTransaction, type Tx } from '@tthc/db';
import {
  appendHistory,
  findDossierByCode,
  findDossierBySource,
  insertDossier,
  type DossierRow,
} from '../../db/dossier.repository';
import { insertPayment, insertRating, insertSupplement } from '../../db/facts.repository';
import { procedureVersionAt } from '../../db/procedure.repository';
import type { DossierStatus, IntakeDb } from '../../db/schema';
import { dueDateFor, judge } from '../../domain/deadline';
import { clockAt, replayClock } from '../domain/historical-clock';
import { actionBetween, checkImported, ImportedDossier } from '../domain/historical-import';
import type { IntakeContext } from '../../commands/context';
import { dossierRef, emitDossierEvent } from '../../commands/dossier-events';
import { newDossierRow } from '../../commands/dossier-row';
import { emitReceived } from '../../commands/receive.command';

export interface HistoricalImportReport {
  dryRun: boolean;
  applied: boolean;
  imported: number;
  unchanged: number;
  errors: { row: number; column: string; reason: string }[];
  /** Rows the import completed: a due date computed because the source gave none. */
  notes: { row: number; column: string; note: string }[];
}

class Rollback extends Error {}

/**
 * Loads dossiers from the previous one-stop software with their original times, status history,
 * supplements, payments and ratings. Every row is checked and every error reported; any error
 * imports nothing. Idempotent by the source system's id. Each imported step emits the event a
 * live dossier would have emitted, at its original time, so indicators and reports include
 * the history.
 */
export async function importHistorical(
  ctx: IntakeContext,
  sourceSystem: string,
  rows: unknown[],
  dryRun: boolean,
): Promise<HistoricalImportReport> {
  const report: HistoricalImportReport = {
    dryRun,
    applied: false,
    imported: 0,
    unchanged: 0,
    errors: [],
    notes: [],
  };
  const now = ctx.clock();
  const valid: { row: number; d: ImportedDossier }[] = [];
  rows.forEach((raw, i) => {
    const parsed = ImportedDossier.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        report.errors.push({ row: i + 1, column: issue.path.join('.') || '(row)', reason: issue.message });
      return;
    }
    for (const p of checkImported(parsed.data, now)) report.errors.push({ row: i + 1, ...p });
    valid.push({ row: i + 1, d: parsed.data });
  });
  try {
    await withTransaction(ctx.db, async (tx) => {
      for (const { row, d } of valid) {
        if (await findDossierBySource(tx, sourceSystem, d.sourceId)) {
          report.unchanged++;
          continue;
        }
        if (await findDossierByCode(tx, d.code)) {
          report.errors.push({
            row,
            column: 'code',
            reason: `dossier ${d.code} exists already (from another source)`,
          });
          continue;
        }
        const version = await procedureVersionAt(tx, d.procedureCode, vnDate(new Date(d.receivedAt)));
        if (!version) {
          report.errors.push({
            row,
            column: 'procedureCode',
            reason: `procedure ${d.procedureCode} was not in force on ${vnDate(new Date(d.receivedAt))}`,
          });
          continue;
        }
        if (report.errors.length === 0) {
          const written = await writeOne(tx, ctx, sourceSystem, d, version);
          if (written.dueComputed) {
            report.notes.push({
              row,
              column: 'dueAt',
              note: `the due date at receipt was computed from procedure ${version.code} version ${version.version} and the rule set in force on ${vnDate(new Date(d.receivedAt))}`,
            });
          }
        }
        report.imported++;
      }
      if (report.errors.length > 0 || dryRun) throw new Rollback();
    });
    report.applied = true;
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  if (report.errors.length > 0) report.imported = 0;
  return report;
}

async function writeOne(
  tx: Tx<IntakeDb>,
  ctx: IntakeContext,
  sourceSystem: string,
  d: ImportedDossier,
  p: NonNullable<Awaited<ReturnType<typeof procedureVersionAt>>>,
): Promise<{ dueComputed: boolean }> {
  const at = (s: string) => new Date(s);
  const receivedAt = at(d.receivedAt);
  const rules = await ctx.calendars.ruleSetFor(tx, vnDate(receivedAt));
  const cal = await ctx.calendars.get(tx);
  const method =
    (p.methods as ProcedureMethod[]).find((m) => m.channel === d.channel) ??
    (p.methods as ProcedureMethod[])[0];
  const time = method?.processingTime ?? { value: 0, unit: 'working_days' as const };
  // The appointment printed at receipt: as the source kept it, else as a receipt then computed it.
  const given =
    d.supplements[0]?.dueAtBefore ?? (d.supplements.length === 0 ? (d.originalDueAt ?? d.dueAt) : undefined);
  const receiptDueAt = given ? at(given) : dueDateFor(cal, receivedAt, time, rules.params);
  const clock = replayClock(
    {
      receivedAt,
      receiptDueAt,
      supplements: d.supplements.map((s) => ({
        requestedAt: at(s.requestedAt),
        completedAt: s.completedAt ? at(s.completedAt) : undefined,
        dueAtAfter: s.dueAtAfter ? at(s.dueAtAfter) : undefined,
      })),
      paymentWaits: waitsFor(d.history, 'awaiting_payment').map(([from, to]) => ({
        from: at(from),
        to: at(to),
      })),
      reschedule:
        d.originalDueAt && d.rescheduledAt && d.dueAt
          ? { at: at(d.rescheduledAt), newDueAt: at(d.dueAt) }
          : undefined,
    },
    cal,
    rules.params,
    time,
  );
  const today = clock[clock.length - 1]!;
  const endStep =
    d.history.find((h) => h.status === 'resolved' || h.status === 'withdrawn' || h.status === 'stopped') ??
    d.history.find((h) => h.status === 'returned');
  const judgedDue = endStep ? clockAt(clock, at(endStep.at)).legalDueAt : today.legalDueAt;
  const verdict = endStep
    ? judge(
        at(endStep.at),
        judgedDue,
        endStep.status === 'returned' ? 'resolved' : (endStep.status as 'resolved' | 'withdrawn' | 'stopped'),
      )
    : null;
  const final = d.history[d.history.length - 1]!.status;
  const versionCount = d.history.length + (d.rating ? 1 : 0);
  const dossier: DossierRow = await insertDossier(
    tx,
    newDossierRow(p, d.applicant, {
      id: randomUUID(),
      code: d.code,
      channel: d.channel,
      home_service: d.homeService,
      status: final,
      components: JSON.stringify(d.components),
      case_name: null,
      fees_due: d.feesDue,
      processing_time: JSON.stringify(time),
      rule_set_id: rules.id,
      submitted_at: at(d.submittedAt ?? d.receivedAt),
      received_at: receivedAt,
      // The source's current appointment wins over the replayed one; the legal date is replayed.
      due_at: d.dueAt ? at(d.dueAt) : today.dueAt,
      original_due_at: receiptDueAt,
      legal_due_at: today.legalDueAt,
      waiting_since:
        final === 'awaiting_supplement' || final === 'awaiting_payment'
          ? at(d.history[d.history.length - 1]!.at)
          : null,
      ended_at: endStep ? at(endStep.at) : null,
      timeliness: verdict,
      current_unit: null,
      current_officer: null,
      supplement_count: d.supplements.length,
      reschedule_count: d.originalDueAt ? 1 : 0,
      result: d.result ? JSON.stringify(d.result) : null,
      return_info: d.returnInfo ? JSON.stringify(d.returnInfo) : null,
      source_system: sourceSystem,
      source_id: d.sourceId,
      version: versionCount,
    }),
  );
  const iso = (x: Date) => x.toISOString();
  /** The dossier clock's dates as they stood at an instant, for the events of that instant. */
  const datesAt = (instant: Date) => {
    const c = clockAt(clock, instant);
    return { dueAt: iso(c.dueAt), legalDueAt: iso(c.legalDueAt), originalDueAt: iso(receiptDueAt) };
  };
  const ref = dossierRef(dossier);
  // The version a dossier had at an instant: the number of steps taken by then.
  const versionAt = (instant: Date) => Math.max(1, d.history.filter((h) => at(h.at) <= instant).length);
  let previous: DossierStatus | null = null;
  for (const [i, step] of d.history.entries()) {
    const when = at(step.at);
    const action = actionBetween(previous, step.status)!;
    await appendHistory(tx, {
      dossier_id: dossier.id,
      dossier_version: i + 1,
      action,
      from_status: previous,
      to_status: step.status,
      actor: step.actor,
      actor_role: null,
      actor_agency: null,
      at: when,
      payload: JSON.stringify({ imported: { sourceSystem, sourceId: d.sourceId }, note: step.note ?? null }),
    });
    const v = { occurredAt: when, version: i + 1 };
    if (step.status === 'received') {
      // The receipt as it was: the appointment printed then, whatever happened later.
      await emitReceivedAt(tx, ctx, { ...dossier, due_at: receiptDueAt, legal_due_at: receiptDueAt }, v);
    }
    if (step.status === 'resolved' || (step === endStep && step.status === 'returned')) {
      await emitDossierEvent(
        tx,
        ctx,
        dossier,
        'dossier.resolved',
        {
          ...ref,
          resolvedAt: when.toISOString(),
          judgedDueAt: iso(judgedDue),
          timeliness: verdict ?? 'on_time',
          eResult: d.result?.eResult ?? false,
          resultDigitized: d.result?.resultDigitized ?? false,
        },
        v,
      );
    }
    if (step.status === 'returned' && d.returnInfo) {
      await emitDossierEvent(
        tx,
        ctx,
        dossier,
        'dossier.returned',
        {
          ...ref,
          returnedAt: when.toISOString(),
          method: d.returnInfo.method,
          trackingNumber: d.returnInfo.trackingNumber ?? null,
        },
        v,
      );
    }
    await emitDossierEvent(
      tx,
      ctx,
      dossier,
      'dossier.status_changed',
      {
        ...ref,
        action,
        from: previous,
        to: step.status,
        at: when.toISOString(),
        timeliness: step.status === 'withdrawn' || step.status === 'stopped' ? 'on_time' : null,
        ...datesAt(when),
      },
      v,
    );
    previous = step.status;
  }
  for (const s of d.supplements) {
    await insertSupplement(tx, {
      dossier_id: dossier.id,
      requested_at: at(s.requestedAt),
      reason: s.reason,
      items: JSON.stringify(s.items),
      within_legal_window: true,
      due_at_before: clockAt(clock, at(s.requestedAt)).dueAt,
      completed_at: s.completedAt ? at(s.completedAt) : null,
      due_at_after: s.completedAt ? clockAt(clock, at(s.completedAt)).dueAt : null,
    });
    await emitDossierEvent(
      tx,
      ctx,
      dossier,
      'dossier.supplement_requested',
      {
        ...ref,
        requestedAt: s.requestedAt,
        reason: s.reason,
        items: s.items,
        withinLegalWindow: true,
        dueAtBefore: datesAt(at(s.requestedAt)).dueAt,
      },
      { occurredAt: at(s.requestedAt), version: versionAt(at(s.requestedAt)) },
    );
    if (s.completedAt) {
      const after = clockAt(clock, at(s.completedAt));
      await emitDossierEvent(
        tx,
        ctx,
        dossier,
        'dossier.supplement_completed',
        {
          ...ref,
          completedAt: s.completedAt,
          dueAt: iso(after.dueAt),
          legalDueAt: iso(after.legalDueAt),
          waitedWorkingDays: after.waited ?? null,
        },
        { occurredAt: at(s.completedAt), version: versionAt(at(s.completedAt)) },
      );
    }
  }
  if (d.originalDueAt && d.rescheduledAt && d.dueAt) {
    const when = at(d.rescheduledAt);
    await emitDossierEvent(
      tx,
      ctx,
      dossier,
      'dossier.rescheduled',
      {
        ...ref,
        at: iso(when),
        reason: d.rescheduleReason ?? 'imported',
        originalDueAt: iso(clockAt(clock, when).legalDueAt),
        newDueAt: iso(at(d.dueAt)),
      },
      { occurredAt: when, version: versionAt(when) },
    );
  }
  for (const pay of d.payments) {
    const id = randomUUID();
    await insertPayment(tx, {
      id,
      dossier_id: dossier.id,
      amount: pay.amount,
      method: pay.method,
      online: pay.online,
      receipt_number: pay.receiptNumber,
      paid_at: at(pay.paidAt),
      recorded_by: 'imported',
    });
    await emitDossierEvent(
      tx,
      ctx,
      dossier,
      'dossier.paid',
      {
        ...ref,
        paymentId: id,
        amount: pay.amount,
        method: pay.method,
        online: pay.online,
        paidAt: pay.paidAt,
      },
      {
        occurredAt: at(pay.paidAt),
        version: versionAt(at(pay.paidAt)),
      },
    );
  }
  if (d.rating) {
    await insertRating(tx, {
      dossier_id: dossier.id,
      rating: d.rating.rating,
      comment: d.rating.comment ?? null,
      rated_at: at(d.rating.ratedAt),
    });
    await appendHistory(tx, {
      dossier_id: dossier.id,
      dossier_version: versionCount,
      action: 'rate',
      from_status: final,
      to_status: final,
      actor: 'imported',
      actor_role: null,
      actor_agency: null,
      at: at(d.rating.ratedAt),
      payload: JSON.stringify({ rating: d.rating.rating, imported: { sourceSystem, sourceId: d.sourceId } }),
    });
    await emitDossierEvent(
      tx,
      ctx,
      dossier,
      'dossier.rated',
      { ...ref, rating: d.rating.rating, ratedAt: d.rating.ratedAt },
      {
        occurredAt: at(d.rating.ratedAt),
        version: versionCount,
      },
    );
  }
  return { dueComputed: !given };
}

/** The spans of the history spent in a waiting status: from entering it to leaving it. */
function waitsFor(history: ImportedDossier['history'], status: DossierStatus): [string, string][] {
  const out: [string, string][] = [];
  history.forEach((h, i) => {
    const next = history[i + 1];
    if (h.status === status && next) out.push([h.at, next.at]);
  });
  return out;
}

async function emitReceivedAt(
  tx: Tx<IntakeDb>,
  ctx: IntakeContext,
  d: DossierRow,
  at: { occurredAt: Date; version: number },
): Promise<void> {
  await emitReceived(tx, { ...ctx, clock: () => at.occurredAt }, { ...d, version: at.version });
}
