import { consumeSpan } from '@tthc/bus';
import { DelayedError, Worker, type Job } from 'bullmq';
import {
  appendMessageLog,
  findMessage,
  recordAttemptFailed,
  recordPermanentFailure,
  recordSent,
  type MessageRow,
  type TrailEntry,
} from '../db/message.repository';
import { withNotifications, type Channel } from '../db/notification.schema';
import { sanitizeError } from '../domain/mask';
import type { NotificationDeps } from '../notification.deps';
import { ProviderError, type NotificationProvider, type OutgoingMessage } from '../providers/provider';
import type { ProviderRateLimiter } from '../providers/provider-registry';
import { notificationQueues, SendJob } from './notification-queues';

export type SendOutcome =
  { outcome: 'sent'; provider: string } | { outcome: 'permanently_failed' } | { outcome: 'skipped' };

const outgoing = (m: MessageRow): OutgoingMessage => ({
  id: m.id,
  channel: m.channel,
  audience: m.audience,
  event: m.event,
  dossierCode: m.dossier_code,
  destination: m.destination,
  recipientRef: m.recipient_ref,
  subject: m.subject,
  body: m.body,
  createdAt: m.created_at,
});

/**
 * One send attempt of one message: each provider of the channel in turn (failover), the first
 * that accepts wins. When all fail, the attempt fails: BullMQ retries the job with exponential
 * backoff until its attempts are spent; the last failure (or a provider's permanent refusal)
 * makes the message permanently failed and raises the alert. Logs carry ids and outcomes only,
 * never the destination or the text.
 */
export function startSender(
  deps: Pick<NotificationDeps, 'db' | 'clock' | 'logger' | 'metrics' | 'bus' | 'config'>,
  channel: Channel,
  providers: readonly NotificationProvider[],
  limiter: ProviderRateLimiter,
): Worker {
  const db = withNotifications(deps.db);
  const log = deps.logger;

  const attempt = async (job: Job, token?: string): Promise<SendOutcome> => {
    const data = SendJob.parse(job.data);
    const { messageId } = data;
    const m = await findMessage(db, messageId);
    // Sent, delivered or already given up: a duplicate or late job has nothing to do.
    if (!m || (m.status !== 'queued' && m.status !== 'failed')) return { outcome: 'skipped' };
    const number = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const errors: string[] = [];
    let permanent = false;
    // A provider that took the message without answering may have sent it: the next provider is
    // tried only once the failover delay has passed (the same one may be retried with the same reference).
    let unanswered = data.unanswered;
    const failoverAt = () =>
      unanswered ? unanswered.at + deps.config.NOTIFY_UNANSWERED_FAILOVER_MS : Number.NEGATIVE_INFINITY;
    const order = providers.map((p) => p.name);
    // Trail entries of failed tries not yet written: they go with the next write of the message's
    // state, in its statement, or on their own before anything else is tried.
    let trail: TrailEntry[] = [];
    const writeTrail = async () => {
      if (trail.length === 0) return;
      await appendMessageLog(db, trail);
      trail = [];
    };
    for (const provider of providers) {
      if (
        unanswered &&
        order.indexOf(provider.name) > order.indexOf(unanswered.provider) &&
        Date.now() < failoverAt()
      ) {
        const until = failoverAt();
        trail.push({
          message_id: m.id,
          at: deps.clock(),
          kind: 'retry',
          provider: provider.name,
          outcome: 'deferred',
          detail: `attempt ${number}: ${unanswered.provider} did not answer; ${provider.name} waits until ${new Date(until).toISOString()}`,
        });
        await recordAttemptFailed(
          db,
          m.id,
          {
            attempts: number,
            error: errors.join('; ') || `${unanswered.provider}: no answer`,
            at: deps.clock(),
          },
          trail,
        );
        trail = [];
        await job.updateData({ ...data, unanswered });
        // Back to the queue until the delay has passed, without spending an attempt.
        await job.moveToDelayed(until, token);
        throw new DelayedError();
      }
      if (unanswered?.provider === provider.name && Date.now() >= failoverAt()) {
        // Its delay has passed: the message goes through the next provider instead.
        continue;
      }
      await writeTrail();
      const wait = await limiter.take(provider.name, provider.ratePerSecond);
      if (wait > 0) {
        // Back to the queue without spending an attempt; the whole channel pauses for the window.
        await worker.rateLimit(wait);
        throw Worker.RateLimitError();
      }
      try {
        const r = await provider.send(outgoing(m));
        const at = deps.clock();
        // The sent state and its trail entry in one statement.
        await recordSent(
          db,
          m.id,
          { attempts: number, provider: provider.name, providerMessageId: r.providerMessageId, at },
          [
            {
              message_id: m.id,
              at,
              kind: 'attempt',
              provider: provider.name,
              outcome: 'sent',
              detail: `attempt ${number}`,
            },
          ],
        );
        deps.metrics.sent.inc({ channel, provider: provider.name });
        log.info({ messageId: m.id, channel, provider: provider.name, attempt: number }, 'notification sent');
        return { outcome: 'sent', provider: provider.name };
      } catch (err) {
        const detail = sanitizeError(
          err instanceof ProviderError ? err.message : `unexpected error: ${(err as Error).message}`,
        );
        errors.push(`${provider.name}: ${detail}`);
        deps.metrics.providerFailures.inc({ provider: provider.name });
        const noAnswer = err instanceof ProviderError && err.unanswered;
        trail.push({
          message_id: m.id,
          at: deps.clock(),
          kind: 'attempt',
          provider: provider.name,
          outcome: noAnswer ? 'unanswered' : 'failed',
          detail: `attempt ${number}: ${detail}`,
        });
        if (noAnswer) unanswered = { provider: provider.name, at: Date.now() };
        if (err instanceof ProviderError && err.permanent) {
          permanent = true;
          break;
        }
      }
    }
    const error = errors.join('; ') || 'no provider configured for the channel';
    const at = deps.clock();
    if (permanent || number >= maxAttempts) {
      if (await recordPermanentFailure(db, m.id, { attempts: number, error, at }, trail)) {
        deps.metrics.permanentlyFailed.inc({ channel, audience: m.audience });
        log.error(
          { messageId: m.id, channel, attempts: number, event: m.event },
          'notification permanently failed',
        );
      }
      return { outcome: 'permanently_failed' };
    }
    if (unanswered !== data.unanswered) {
      // The trail is in the database before the job's data changes, as each try's entry was.
      await writeTrail();
      await job.updateData({ ...data, unanswered });
    }
    await recordAttemptFailed(db, m.id, { attempts: number, error, at }, trail);
    log.warn(
      { messageId: m.id, channel, attempt: number, maxAttempts },
      'notification attempt failed, will retry',
    );
    throw new Error(`attempt ${number} of ${maxAttempts} failed`);
  };

  const queue = notificationQueues[channel];
  const worker: Worker = new Worker(
    queue,
    (job: Job, token?: string) => consumeSpan(queue, job, () => attempt(job, token)),
    {
      connection: deps.bus.redis,
      prefix: deps.bus.prefix,
      concurrency: deps.config.NOTIFY_SEND_CONCURRENCY,
    },
  );
  worker.on('error', (err) => log.error({ err: err.message, channel }, 'notification sender error'));
  return worker;
}
