import { Signal } from '@tthc/bus';

/**
 * Raised after a commit that queued messages (a new message, a new send round, an operator's
 * retry): the dispatcher wakes at once instead of at its next sweep.
 */
export const messagesQueued = new Signal();
