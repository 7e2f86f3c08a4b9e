import type { DossierStatus } from '@tthc/contracts';
import { OPEN_STATUSES } from './dossier-clock';

/**
 * The one-stop lifecycle with the national portal's status codes (domain.md, Dossier
 * lifecycle): 1 submitted, 2 received, 3 refused, 4 processing, 5 awaiting supplement,
 * 6 awaiting payment, 7 withdrawn, 8 stopped, 9 resolved, 10 returned.
 */
export const STATUS_CODES: Record<DossierStatus, number> = {
  submitted: 1,
  received: 2,
  refused: 3,
  processing: 4,
  awaiting_supplement: 5,
  awaiting_payment: 6,
  withdrawn: 7,
  stopped: 8,
  resolved: 9,
  returned: 10,
};

export type DossierAction =
  | 'accept'
  | 'refuse'
  | 'assign'
  | 'complete_step'
  | 'request_supplement'
  | 'complete_supplement'
  | 'request_payment'
  | 'record_payment'
  | 'reschedule'
  | 'resolve'
  | 'return'
  | 'withdraw'
  | 'stop';

/** For each action: the statuses it may start from and the status it leads to (null: unchanged). */
export const TRANSITIONS: Record<
  DossierAction,
  { from: readonly DossierStatus[]; to: DossierStatus | null }
> = {
  accept: { from: ['submitted'], to: 'received' },
  refuse: { from: ['submitted'], to: 'refused' },
  assign: { from: ['received', 'processing'], to: 'processing' },
  complete_step: { from: ['received', 'processing'], to: null },
  request_supplement: { from: ['received', 'processing'], to: 'awaiting_supplement' },
  complete_supplement: { from: ['awaiting_supplement'], to: 'processing' },
  request_payment: { from: ['received', 'processing'], to: 'awaiting_payment' },
  record_payment: { from: ['received', 'processing', 'awaiting_payment', 'resolved'], to: null },
  reschedule: { from: ['received', 'processing'], to: null },
  resolve: { from: ['received', 'processing'], to: 'resolved' },
  return: { from: ['resolved'], to: 'returned' },
  withdraw: { from: ['submitted', ...OPEN_STATUSES], to: 'withdrawn' },
  stop: { from: OPEN_STATUSES, to: 'stopped' },
};

export function allowedFrom(status: DossierStatus): DossierAction[] {
  return (Object.keys(TRANSITIONS) as DossierAction[]).filter((a) => TRANSITIONS[a].from.includes(status));
}

export function canApply(status: DossierStatus, action: DossierAction): boolean {
  return TRANSITIONS[action].from.includes(status);
}

/** The status after an action (payment recorded while awaiting it resumes processing). */
export function nextStatus(status: DossierStatus, action: DossierAction): DossierStatus {
  if (action === 'record_payment') return status === 'awaiting_payment' ? 'processing' : status;
  return TRANSITIONS[action].to ?? status;
}

/** A dossier ends at resolved, or returned when it skipped resolved, withdrawn or stopped (domain.md, Timeliness). */
export function endsDossier(to: DossierStatus): boolean {
  return to === 'resolved' || to === 'withdrawn' || to === 'stopped';
}

export const TERMINAL: readonly DossierStatus[] = ['refused', 'withdrawn', 'stopped', 'returned'];
