import { startConsumer, traceparentOf, type EventHandler } from '@tthc/bus';
import { queues, type EventType, type TypedEvent } from '@tthc/contracts';
import type { Tx } from '@tthc/db';
import type { Worker } from 'bullmq';
import { createCitizenMessagesOf, type CitizenChange } from '../commands/citizen-messages.command';
import { createReportFailedMessages, createReportReadyMessages } from '../commands/report-ready.command';
import { historyEntryAt } from '../db/dossier-lookup.repository';
import { withNotifications } from '../db/notification.schema';
import {
  receivedNotice,
  rescheduledNotice,
  resolvedNotice,
  returnedNotice,
  statusConcernsApplicant,
  statusNotice,
  supplementNotice,
  type CitizenNotice,
} from '../domain/citizen-notices';
import type { NotificationDeps } from '../notification.deps';

type DossierEvent = Extract<EventType, `dossier.${string}`>;

/**
 * Turns the intake's own dossier events into citizen messages, and the reports service's
 * report.ready into a message to the schedule's owner. The consumer applies each event
 * once (its inbox row and the messages share one transaction, the messages of the events applied
 * together written by one statement), so a redelivered event creates nothing; startConsumer
 * refuses to start if an event routed to the queue has no handler here.
 */
export function startNotificationConsumer(
  deps: Pick<NotificationDeps, 'db' | 'bus' | 'logger' | 'clock' | 'config'>,
): Worker {
  // The changes of a transaction's events, written together when its handlers are done (settle):
  // one read and one insert for the batch instead of two statements per event.
  const gathered = new WeakMap<object, CitizenChange[]>();
  const on =
    <T extends DossierEvent>(
      notice: (event: TypedEvent<T>, tx: Tx<any>) => Promise<CitizenNotice | null> | CitizenNotice | null,
    ): EventHandler<T> =>
    async (event, tx) => {
      const n = await notice(event, tx);
      if (!n) return;
      let changes = gathered.get(tx);
      if (!changes) gathered.set(tx, (changes = []));
      changes.push({
        source: { id: event.id, occurredAt: event.occurredAt },
        dossierId: event.payload.dossierId,
        notice: n,
        // The event's own trace (its consumer span), which the batch's write runs outside of.
        traceparent: traceparentOf() ?? undefined,
      });
    };
  return startConsumer({
    queue: queues.intakeNotifications,
    db: deps.db,
    bus: deps.bus,
    logger: deps.logger,
    // The handlers only write in the transaction they are given: events taken together apply together.
    concurrency: 16,
    batch: true,
    settle: async (tx) => {
      const changes = gathered.get(tx);
      if (!changes) return;
      gathered.delete(tx);
      await createCitizenMessagesOf(tx, deps, changes);
    },
    handlers: {
      'dossier.received': on<'dossier.received'>((e) => receivedNotice(e.payload)),
      // Payment requested, refused, stopped: the reason and amount the officer typed are in the trail entry of that version.
      'dossier.status_changed': on<'dossier.status_changed'>(async (e, tx) => {
        if (!statusConcernsApplicant(e.payload.to)) return null;
        const entry = await historyEntryAt(withNotifications(tx), e.payload.dossierId, e.entityVersion);
        return statusNotice(e.payload.to, entry?.payload);
      }),
      'dossier.supplement_requested': on<'dossier.supplement_requested'>((e) => supplementNotice(e.payload)),
      'dossier.rescheduled': on<'dossier.rescheduled'>((e) => rescheduledNotice(e.payload)),
      'dossier.resolved': on<'dossier.resolved'>((e) => resolvedNotice(e.payload)),
      'dossier.returned': on<'dossier.returned'>((e) => returnedNotice(e.payload)),
      // A scheduled report is ready: its owner is told (an officer message).
      'report.ready': async (event, tx) => {
        await createReportReadyMessages(withNotifications(tx), deps, event);
      },
      // A scheduled report failed for good: its owner is told why.
      'report.failed': async (event, tx) => {
        await createReportFailedMessages(withNotifications(tx), deps, event);
      },
    },
  });
}
