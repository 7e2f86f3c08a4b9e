import {
  allowedFrom,
  canApply,
  endsDossier,
  nextStatus,
  STATUS_CODES,
  TERMINAL,
  TRANSITIONS,
  type DossierAction,
} from '../../src/domain/lifecycle';
import type { DossierStatus } from '../../src/db/schema';

const statuses = Object.keys(STATUS_CODES) as DossierStatus[];
const actions = Object.keys(TRANSITIONS) as DossierAction[];

/** The whole matrix, written out by hand from domain.md so the table in code is checked against it. */
const EXPECTED: Record<DossierStatus, DossierAction[]> = {
  submitted: ['accept', 'refuse', 'withdraw'],
  received: [
    'assign',
    'complete_step',
    'request_supplement',
    'request_payment',
    'record_payment',
    'reschedule',
    'resolve',
    'withdraw',
    'stop',
  ],
  refused: [],
  processing: [
    'assign',
    'complete_step',
    'request_supplement',
    'request_payment',
    'record_payment',
    'reschedule',
    'resolve',
    'withdraw',
    'stop',
  ],
  awaiting_supplement: ['complete_supplement', 'withdraw', 'stop'],
  awaiting_payment: ['record_payment', 'withdraw', 'stop'],
  withdrawn: [],
  stopped: [],
  resolved: ['record_payment', 'return'],
  returned: [],
};

describe('dossier state machine', () => {
  it.each(statuses)('allows from %s exactly the actions of the national lifecycle', (status) => {
    expect([...allowedFrom(status)].sort()).toEqual([...EXPECTED[status]].sort());
    for (const a of actions) expect(canApply(status, a)).toBe(EXPECTED[status].includes(a));
  });

  it('leads each action to its national status', () => {
    expect(nextStatus('submitted', 'accept')).toBe('received');
    expect(nextStatus('submitted', 'refuse')).toBe('refused');
    expect(nextStatus('received', 'assign')).toBe('processing');
    expect(nextStatus('processing', 'request_supplement')).toBe('awaiting_supplement');
    expect(nextStatus('awaiting_supplement', 'complete_supplement')).toBe('processing');
    expect(nextStatus('processing', 'request_payment')).toBe('awaiting_payment');
    expect(nextStatus('awaiting_payment', 'record_payment')).toBe('processing');
    expect(nextStatus('resolved', 'record_payment')).toBe('resolved');
    expect(nextStatus('processing', 'reschedule')).toBe('processing');
    expect(nextStatus('processing', 'resolve')).toBe('resolved');
    expect(nextStatus('resolved', 'return')).toBe('returned');
    expect(nextStatus('awaiting_payment', 'withdraw')).toBe('withdrawn');
    expect(nextStatus('processing', 'stop')).toBe('stopped');
  });

  it('ends a dossier at resolved, withdrawn or stopped; nothing leaves a terminal status', () => {
    expect(statuses.filter(endsDossier).sort()).toEqual(['resolved', 'stopped', 'withdrawn']);
    for (const t of TERMINAL) expect(allowedFrom(t)).toEqual([]);
  });

  it('numbers the statuses as the national portal does', () => {
    expect(statuses.map((s) => STATUS_CODES[s])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
