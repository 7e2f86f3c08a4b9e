import type { EventPayload } from '@tthc/contracts';
import type { CitizenEvent } from '../templates/template-catalogue';
import { formatAmount, formatDate } from './template-render';

/** What a dossier change tells the applicant: the message kind and the values only the change knows. */
export interface CitizenNotice {
  event: CitizenEvent;
  data: Record<string, string>;
  /** A list (supplement items), laid out per channel. */
  items?: readonly string[];
  /** The result is also issued electronically: the place says so. */
  resultOnline?: boolean;
}

/** Status changes that concern the applicant and have no event of their own. */
const STATUS_NOTICES: Partial<Record<EventPayload<'dossier.status_changed'>['to'], CitizenEvent>> = {
  awaiting_payment: 'payment_requested',
  refused: 'refused',
  stopped: 'stopped',
};

/** Whether a status change is one the applicant hears of (then its trail entry is read). */
export const statusConcernsApplicant = (to: EventPayload<'dossier.status_changed'>['to']): boolean =>
  STATUS_NOTICES[to] !== undefined;

/** What the officer typed for the change (a reason, an amount): the trail entry's payload.input. */
export function actionInput(trailPayload: unknown): Record<string, unknown> {
  const input = (trailPayload as { input?: unknown } | null | undefined)?.input;
  return input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
}

export function statusNotice(
  to: EventPayload<'dossier.status_changed'>['to'],
  trailPayload: unknown,
): CitizenNotice | null {
  const event = STATUS_NOTICES[to];
  if (!event) return null;
  const input = actionInput(trailPayload);
  const reason = typeof input['reason'] === 'string' ? input['reason'] : '';
  if (event === 'payment_requested') {
    const amount = typeof input['amount'] === 'number' ? formatAmount(input['amount']) : '';
    return { event, data: { amount, reason } };
  }
  return { event, data: { reason } };
}

export function receivedNotice(p: EventPayload<'dossier.received'>): CitizenNotice {
  return {
    event: 'received',
    data: { dueDate: formatDate(p.dueAt), receivedDate: formatDate(p.receivedAt) },
  };
}

export function supplementNotice(p: EventPayload<'dossier.supplement_requested'>): CitizenNotice {
  return { event: 'supplement_requested', data: { reason: p.reason }, items: p.items };
}

/** The apology names the date that was promised, not the new one: the dossier is judged against it. */
export function rescheduledNotice(p: EventPayload<'dossier.rescheduled'>): CitizenNotice {
  return {
    event: 'rescheduled',
    data: { reason: p.reason, newDate: formatDate(p.newDueAt), dueDate: formatDate(p.originalDueAt) },
  };
}

export function resolvedNotice(p: EventPayload<'dossier.resolved'>): CitizenNotice {
  return { event: 'result_ready', data: {}, resultOnline: p.eResult };
}

/** How each way of handing over the result reads in a message. */
const RETURN_METHODS: Record<EventPayload<'dossier.returned'>['method'], string> = {
  desk: 'tại Bộ phận Một cửa',
  post: 'qua bưu chính công ích',
  online: 'trực tuyến',
};

/**
 * Every result handed over is told: by post with its tracking number, at the desk or online with
 * the date (a record for the applicant, and the invitation to rate the service).
 */
export function returnedNotice(p: EventPayload<'dossier.returned'>): CitizenNotice {
  if (p.method === 'post')
    return { event: 'returned_by_post', data: { trackingNumber: p.trackingNumber ?? '' } };
  return {
    event: 'returned',
    data: { returnedDate: formatDate(p.returnedAt), returnMethod: RETURN_METHODS[p.method] },
  };
}

/**
 * Events that should not reach the applicant now: too old (a backlog after an outage: a "received"
 * SMS three days late confuses more than it helps), or history imported from the previous
 * software (it happened before the dossier was in this system, and that software told them).
 */
export function tooLateToTell(
  occurredAt: Date,
  now: Date,
  staleHours: number,
  imported: { sourceSystem: string | null; createdAt: Date },
): boolean {
  if (now.getTime() - occurredAt.getTime() > staleHours * 3_600_000) return true;
  return imported.sourceSystem !== null && occurredAt.getTime() < imported.createdAt.getTime();
}
