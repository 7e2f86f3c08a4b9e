import type { MessageStatus } from '../db/notification.schema';

/**
 * Delivery states only move forward. Provider callbacks arrive out of order (a "sent" report
 * after "delivered" is common), so a report applies only when it ranks above the current state:
 * delivered never goes back to sent, and a delivery report wins even over a permanent failure
 * (the handset is the truth).
 */
export const STATUS_RANK: Record<MessageStatus, number> = {
  queued: 0,
  failed: 1,
  sent: 2,
  permanently_failed: 3,
  delivered: 4,
};

/** What a provider may report about a message it accepted. */
export type CallbackStatus = 'sent' | 'delivered' | 'failed';

/** The state a callback leads to: a provider's "failed" after acceptance is final (it stopped trying). */
export const CALLBACK_TARGET: Record<CallbackStatus, MessageStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  failed: 'permanently_failed',
};

/** The states a message may be in for a move to `target` to apply. */
export function statusesBelow(target: MessageStatus): MessageStatus[] {
  return (Object.keys(STATUS_RANK) as MessageStatus[]).filter((s) => STATUS_RANK[s] < STATUS_RANK[target]);
}

export function canMove(from: MessageStatus, to: MessageStatus): boolean {
  return STATUS_RANK[from] < STATUS_RANK[to];
}

/** Attempts and backoff: BullMQ waits delay × 2^(n-1) before the n-th retry. */
export function backoffDelays(baseMs: number, attempts: number): number[] {
  return Array.from({ length: Math.max(0, attempts - 1) }, (_, i) => baseMs * 2 ** i);
}
