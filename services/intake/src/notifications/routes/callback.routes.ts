import { timingSafeEqual } from 'node:crypto';
import { errorResponses, HttpProblem, problems, type ServiceApp } from '@tthc/service-kit';
import { z } from 'zod';
import { findByReference, moveStatus } from '../db/message.repository';
import { withNotifications } from '../db/notification.schema';
import { CALLBACK_TARGET, statusesBelow } from '../domain/delivery-status';
import { sanitizeError } from '../domain/mask';
import type { NotificationDeps } from '../notification.deps';
import { MessageStatusSchema } from './notification.schemas';

function tokenMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Delivery reports from providers. They arrive late, twice, and out of order: a report only
 * moves a message forward (sent < delivered; a provider's "failed" after acceptance is final),
 * so "sent" after "delivered" changes nothing. A report for a message not found yet (it raced
 * the provider's own answer) gets 404, and providers retry.
 */
export function callbackRoutes(app: ServiceApp, deps: NotificationDeps): void {
  const db = withNotifications(deps.db);

  app.post(
    '/v1/notifications/callbacks/:provider',
    {
      schema: {
        'x-access': { roles: 'public', agencyScoped: false },
        operationId: 'notificationDeliveryCallback',
        tags: ['notifications'],
        summary: 'Delivery report from a provider, authenticated by the shared callback token',
        description:
          "Send the token as `x-callback-token` or `Authorization: Bearer <token>`. `messageId` is our message id (sent to gateways as the reference) or the provider's own id.",
        params: z.object({ provider: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/) }),
        headers: z.object({
          'x-callback-token': z.string().max(500).optional(),
          authorization: z.string().max(500).optional(),
        }),
        body: z
          .object({
            messageId: z.string().min(1).max(200),
            status: z.enum(['sent', 'delivered', 'failed']),
            at: z.iso.datetime({ offset: true }).optional(),
            detail: z.string().max(500).optional(),
          })
          .meta({ examples: [{ messageId: 'gw-8f2c1a', status: 'delivered', at: '2026-11-23T02:00:09Z' }] }),
        response: {
          200: z.object({ messageId: z.uuid(), status: MessageStatusSchema, applied: z.boolean() }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => {
      const expected = deps.config.NOTIFY_CALLBACK_TOKEN;
      // Not configured: no token can match, so nobody is authenticated (a 5xx would read as an outage).
      if (!expected)
        throw new HttpProblem(
          401,
          'callbacks_disabled',
          'Chưa xác thực',
          'delivery callbacks are not configured (NOTIFY_CALLBACK_TOKEN)',
        );
      const auth = request.headers.authorization;
      const given =
        request.headers['x-callback-token'] ?? (auth?.startsWith('Bearer ') ? auth.slice(7) : undefined);
      if (!tokenMatches(expected, given))
        throw problems.unauthorized('the callback token is missing or wrong');

      const { provider } = request.params;
      const b = request.body;
      const message = await findByReference(db, provider, b.messageId);
      if (!message) throw problems.notFound('message', `no message ${b.messageId} from ${provider}`);
      const target = CALLBACK_TARGET[b.status];
      const at = b.at ? new Date(b.at) : deps.clock();
      const detail = b.detail ? sanitizeError(b.detail) : null;
      // The move and its trail entry in one statement.
      const applied = await moveStatus(
        db,
        message.id,
        target,
        statusesBelow(target),
        at,
        detail ?? (target === 'permanently_failed' ? `${provider} reported failure` : null),
        { at: deps.clock(), provider, outcome: b.status, detail },
      );
      if (applied && target === 'permanently_failed') {
        deps.metrics.permanentlyFailed.inc({ channel: message.channel, audience: message.audience });
        request.log.error(
          { messageId: message.id, channel: message.channel, provider },
          'notification reported undeliverable',
        );
      }
      return { messageId: message.id, status: applied ? target : message.status, applied };
    },
  );
}
