import { Channel, DossierStatus } from '@tthc/contracts';
import { z } from 'zod';
import type { DossierStatus as Status } from '../../db/schema';
import { Applicant, SubmittedComponent, nfc } from '../../domain/dossier-input';
import { TRANSITIONS, type DossierAction } from '../../domain/lifecycle';

const instant = z.iso.datetime({ offset: true });

/**
 * A dossier as the previous one-stop software kept it: its original code and times, its status
 * history, supplements, payments and rating. Departments change software; their figures must
 * not lose the history.
 */
export const ImportedDossier = z.object({
  sourceId: z.string().min(1).max(100),
  code: z.string().regex(/^[A-Z0-9.]+-\d{6}-\d{4,}$/, 'dossier code: <agency code>-YYMMDD-NNNN'),
  procedureCode: z.string().regex(/^\d\.\d{6}$/, 'procedure code: a digit, a dot and six digits'),
  channel: Channel,
  homeService: z.boolean().default(false),
  applicant: Applicant,
  components: z.array(SubmittedComponent).max(200).default([]),
  feesDue: z.number().int().min(0).default(0),
  submittedAt: instant.optional(),
  receivedAt: instant,
  /** The current appointment; when absent, computed from the procedure version and rule set in force at receipt. */
  dueAt: instant.optional(),
  /** The due date before a reschedule, when there was one (with `rescheduledAt`, the apology's time). */
  originalDueAt: instant.optional(),
  rescheduledAt: instant.optional(),
  rescheduleReason: nfc(2000).optional(),
  history: z
    .array(
      z.object({
        status: DossierStatus,
        at: instant,
        actor: nfc(200).default('imported'),
        note: nfc(2000).optional(),
      }),
    )
    .min(1)
    .max(200),
  supplements: z
    .array(
      z.object({
        requestedAt: instant,
        completedAt: instant.optional(),
        reason: nfc(2000),
        items: z.array(nfc(1000)).min(1),
        /** The due date when it was asked for, and the one set when it arrived (restarted), if the source kept them. */
        dueAtBefore: instant.optional(),
        dueAtAfter: instant.optional(),
      }),
    )
    .max(20)
    .default([]),
  payments: z
    .array(
      z.object({
        amount: z.number().int().positive(),
        method: z.enum(['cash', 'bank_transfer', 'card', 'e_wallet', 'postal', 'national_portal']),
        online: z.boolean(),
        receiptNumber: z.string().min(1).max(100),
        paidAt: instant,
      }),
    )
    .max(20)
    .default([]),
  result: z
    .object({ resultNumber: nfc(100).optional(), eResult: z.boolean(), resultDigitized: z.boolean() })
    .optional(),
  returnInfo: z
    .object({ method: z.enum(['desk', 'post', 'online']), trackingNumber: z.string().max(100).optional() })
    .optional(),
  rating: z
    .object({
      rating: z.enum(['satisfied', 'normal', 'not_satisfied']),
      ratedAt: instant,
      comment: nfc(2000).optional(),
    })
    .optional(),
});
export type ImportedDossier = z.infer<typeof ImportedDossier>;

export interface RowProblem {
  column: string;
  reason: string;
}

/** The action that moves a dossier between two statuses, if the lifecycle has one. */
export function actionBetween(from: Status | null, to: Status): DossierAction | 'submit' | 'receive' | null {
  if (from === null) return to === 'submitted' ? 'submit' : to === 'received' ? 'receive' : null;
  if (from === 'awaiting_payment' && to === 'processing') return 'record_payment';
  const found = (Object.keys(TRANSITIONS) as DossierAction[]).find(
    (a) => TRANSITIONS[a].from.includes(from) && TRANSITIONS[a].to === to,
  );
  return found ?? null;
}

/**
 * Checks a record for what the schema cannot: times in order and not in the future, every step
 * a legal transition, the receipt in the history, the due date after the receipt.
 */
export function checkImported(d: ImportedDossier, now: Date): RowProblem[] {
  const problems: RowProblem[] = [];
  const t = (s: string) => Date.parse(s);
  if (t(d.receivedAt) > now.getTime()) problems.push({ column: 'receivedAt', reason: 'in the future' });
  if (d.dueAt && t(d.dueAt) < t(d.receivedAt))
    problems.push({ column: 'dueAt', reason: 'before receivedAt' });
  if (d.originalDueAt && !d.rescheduledAt)
    problems.push({
      column: 'rescheduledAt',
      reason: 'a rescheduled dossier (originalDueAt) needs the time of the apology',
    });
  if (d.originalDueAt && !d.dueAt)
    problems.push({
      column: 'dueAt',
      reason: 'a rescheduled dossier (originalDueAt) needs its new due date',
    });
  if (d.rescheduledAt && (t(d.rescheduledAt) < t(d.receivedAt) || t(d.rescheduledAt) > now.getTime())) {
    problems.push({ column: 'rescheduledAt', reason: 'before receivedAt or in the future' });
  }
  d.supplements.forEach((s, i) => {
    if (s.completedAt && t(s.completedAt) < t(s.requestedAt))
      problems.push({ column: `supplements.${i}.completedAt`, reason: 'before requestedAt' });
  });
  if (d.submittedAt && t(d.submittedAt) > t(d.receivedAt))
    problems.push({ column: 'submittedAt', reason: 'after receivedAt' });
  let previous: Status | null = null;
  let last = 0;
  d.history.forEach((step, i) => {
    if (t(step.at) > now.getTime()) problems.push({ column: `history.${i}.at`, reason: 'in the future' });
    if (t(step.at) < last)
      problems.push({ column: `history.${i}.at`, reason: 'earlier than the step before' });
    last = t(step.at);
    if (actionBetween(previous, step.status) === null) {
      problems.push({
        column: `history.${i}.status`,
        reason: `no transition from ${previous ?? '(new)'} to ${step.status}`,
      });
    }
    previous = step.status;
  });
  if (!d.history.some((h) => h.status === 'received'))
    problems.push({ column: 'history', reason: 'the dossier was never received' });
  const receipt = d.history.find((h) => h.status === 'received');
  if (receipt && t(receipt.at) !== t(d.receivedAt))
    problems.push({ column: 'receivedAt', reason: 'differs from the received step of the history' });
  if (d.rating && !d.history.some((h) => h.status === 'resolved' || h.status === 'returned')) {
    problems.push({ column: 'rating', reason: 'a dossier is rated only after its result' });
  }
  return problems;
}
