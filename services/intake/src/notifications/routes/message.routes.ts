import { withTransaction } from '@tthc/db';
import {
  errorResponses,
  PageQuery,
  problems,
  scopeOf as scopeOfIdentity,
  type ServiceApp,
  OFFICERS,
  ADMIN_ONLY,
} from '@tthc/service-kit';
import { requireDossierAction, requireDossierRead } from '../../access';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { dossierByCode, stepsOfDossier } from '../db/dossier-lookup.repository';
import {
  acknowledgeAlert,
  appendMessageLog,
  findMessage,
  listAlerts,
  listDossierMessages,
  messageLog,
  requeueMessage,
} from '../db/message.repository';
import { withNotifications } from '../db/notification.schema';
import { preferencesOf, upsertPreferences } from '../db/settings.repository';
import { applicantAddresses } from '../domain/channel-choice';
import type { NotificationDeps } from '../notification.deps';
import {
  actorOf,
  ChannelSchema,
  decodeKeyset,
  encodeKeyset,
  MessageTrailEntry,
  NotificationMessage,
  requireScope,
  scopeOf,
  toMessage,
  toTrailEntry,
} from './notification.schemas';

const CodeParams = z.object({ code: z.string().max(80) });
const IdParams = z.object({ id: z.uuid() });
const Preferences = z
  .object({
    channels: z.array(ChannelSchema),
    chosen: z
      .boolean()
      .meta({ description: 'false: nothing recorded, every channel with an address is used' }),
    available: z
      .object({ sms: z.boolean(), email: z.boolean() })
      .meta({ description: 'whether the dossier holds a phone, an e-mail' }),
  })
  .meta({
    id: 'NotificationPreferences',
    examples: [{ channels: ['sms', 'email'], chosen: true, available: { sms: true, email: true } }],
  });

/** What was sent to a dossier, the applicant's channel choice, the alert list of messages that will not arrive. */
export function messageRoutes(app: ServiceApp, deps: NotificationDeps): void {
  const db = withNotifications(deps.db);
  /** The dossier, if the caller may read it (or, to change the applicant's choice, act on it). */
  const dossier = async (request: FastifyRequest, code: string, change = false) => {
    const d = await dossierByCode(db, code);
    if (!d) throw problems.notFound('dossier', `dossier ${code} not found`);
    const steps = await stepsOfDossier(db, d.id);
    const scope = scopeOfIdentity(request.identity);
    if (change) requireDossierAction(scope, d, steps, 'set_preferences');
    else requireDossierRead(scope, d, steps);
    return d;
  };
  const message = async (request: FastifyRequest, id: string) => {
    const m = await findMessage(db, id);
    if (!m) throw problems.notFound('message', `no message ${id}`);
    requireScope(request, [m.agency_code], `message ${id}`);
    return m;
  };

  app.get(
    '/v1/dossiers/:code/notifications',
    {
      schema: {
        'x-access': { roles: OFFICERS, agencyScoped: true },
        operationId: 'listDossierNotifications',
        tags: ['notifications'],
        summary:
          'Messages sent about a dossier (to the applicant and to officers): channel, status, template version, attempts, times; destinations masked',
        params: CodeParams,
        response: { 200: z.object({ items: z.array(NotificationMessage) }), ...errorResponses(403, 404) },
      },
    },
    async (request) => ({
      items: (await listDossierMessages(db, (await dossier(request, request.params.code)).id)).map(toMessage),
    }),
  );

  const prefsOut = async (request: FastifyRequest, code: string) => {
    const d = await dossier(request, code);
    const chosen = await preferencesOf(db, d.id);
    const a = applicantAddresses(d.applicant_contact, d.applicant_phone);
    return {
      channels: chosen ?? ['sms', 'email', 'webhook'],
      chosen: chosen !== undefined,
      available: { sms: a.phone !== null, email: a.email !== null },
    };
  };

  app.get(
    '/v1/dossiers/:code/notification-preferences',
    {
      schema: {
        'x-access': { roles: OFFICERS, agencyScoped: true },
        operationId: 'getDossierNotificationPreferences',
        tags: ['notifications'],
        summary: 'The channels the applicant accepts for this dossier',
        params: CodeParams,
        response: { 200: Preferences, ...errorResponses(403, 404) },
      },
    },
    async (request) => prefsOut(request, request.params.code),
  );

  app.put(
    '/v1/dossiers/:code/notification-preferences',
    {
      schema: {
        'x-access': { roles: ['portal', 'desk_officer'], agencyScoped: true },
        operationId: 'putDossierNotificationPreferences',
        tags: ['notifications'],
        summary: "Record the applicant's channel choice (an empty list: no messages)",
        params: CodeParams,
        body: z
          .object({ channels: z.array(ChannelSchema).max(3) })
          .meta({ examples: [{ channels: ['email'] }] }),
        response: { 200: Preferences, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const d = await dossier(request, request.params.code, true);
      await upsertPreferences(db, {
        dossier_id: d.id,
        channels: [...new Set(request.body.channels)],
        updated_by: actorOf(request),
        updated_at: deps.clock(),
      });
      return prefsOut(request, request.params.code);
    },
  );

  app.get(
    '/v1/notifications/messages/:id',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'getNotificationMessage',
        tags: ['notifications'],
        summary: 'One message with its trail: each attempt by provider, callbacks, retries',
        params: IdParams,
        response: {
          200: NotificationMessage.extend({ trail: z.array(MessageTrailEntry) }),
          ...errorResponses(403, 404),
        },
      },
    },
    async (request) => {
      const m = await message(request, request.params.id);
      return { ...toMessage(m), trail: (await messageLog(db, m.id)).map(toTrailEntry) };
    },
  );

  app.get(
    '/v1/notifications/alerts',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'listNotificationAlerts',
        tags: ['notifications'],
        summary:
          'Messages that permanently failed (newest first): each is an alert until acknowledged or sent again',
        querystring: z.object({
          acknowledged: z.enum(['true', 'false', 'all']).default('false'),
          agencyCode: z.string().max(35).optional(),
          ...PageQuery,
        }),
        response: {
          200: z.object({ items: z.array(NotificationMessage), nextCursor: z.string().nullable() }),
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.cursor && !decodeKeyset(q.cursor))
        throw problems.badRequest('invalid_cursor', 'the cursor is not one this API gave', [
          { in: 'query', pointer: '/cursor', detail: 'unreadable cursor' },
        ]);
      const rows = await listAlerts(db, {
        acknowledged: q.acknowledged === 'all' ? undefined : q.acknowledged === 'true',
        agencyCode: q.agencyCode,
        agencyCodes: scopeOf(request),
        after: decodeKeyset(q.cursor),
        limit: q.limit,
      });
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toMessage),
        nextCursor:
          rows.length > q.limit && last?.permanently_failed_at
            ? encodeKeyset(last.permanently_failed_at, last.id)
            : null,
      };
    },
  );

  app.post(
    '/v1/notifications/alerts/:id/acknowledge',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'acknowledgeNotificationAlert',
        tags: ['notifications'],
        summary: 'Acknowledge a permanently failed message (someone reached the recipient another way)',
        params: IdParams,
        response: { 200: NotificationMessage, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      await message(request, request.params.id);
      const at = deps.clock();
      const by = actorOf(request);
      const m = await withTransaction(db, async (tx) => {
        const updated = await acknowledgeAlert(tx, request.params.id, by, at);
        if (updated)
          await appendMessageLog(tx, {
            message_id: updated.id,
            at,
            kind: 'acknowledge',
            provider: null,
            outcome: 'acknowledged',
            detail: `by ${by}`,
          });
        return updated;
      });
      if (!m) throw problems.notFound('alert', `no permanently failed message ${request.params.id}`);
      return toMessage(m);
    },
  );

  app.post(
    '/v1/notifications/messages/:id/retry',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'retryNotificationMessage',
        'x-idempotent': true,
        'x-location': '/v1/notifications/messages/{id}',
        tags: ['notifications'],
        summary: 'Send a permanently failed message again, with fresh attempts (after the provider is fixed)',
        params: IdParams,
        response: { 202: NotificationMessage, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await message(request, request.params.id);
      const at = deps.clock();
      const m = await withTransaction(db, async (tx) => {
        const updated = await requeueMessage(tx, request.params.id, at);
        if (updated)
          await appendMessageLog(tx, {
            message_id: updated.id,
            at,
            kind: 'retry',
            provider: null,
            outcome: 'queued',
            detail: `round ${updated.send_round} by ${actorOf(request)}`,
          });
        return updated;
      });
      if (!m) throw problems.notFound('alert', `no permanently failed message ${request.params.id}`);
      return reply.status(202).send(toMessage(m));
    },
  );
}
