import { AgencyCode } from '@tthc/contracts';
import {
  decodeCursor,
  encodeCursor,
  errorResponses,
  PageQuery,
  problems,
  type ServiceApp,
  ADMIN_ONLY,
} from '@tthc/service-kit';
import { withTransaction } from '@tthc/db';
import { z } from 'zod';
import { auditAdmin } from '../../db/access.repository';
import { nfc } from '../../domain/dossier-input';
import { asIntake, withNotifications } from '../db/notification.schema';
import {
  deleteOfficerContact,
  findOfficerContact,
  listOfficerContacts,
  upsertOfficerContact,
  type OfficerContactRow,
} from '../db/officer-contact.repository';
import type { NotificationDeps } from '../notification.deps';
import { maskEmail } from '../domain/mask';
import { actorOf, OfficerContact, requireScope, scopeOf } from './notification.schemas';

const Params = z.object({ officer: z.string().min(1).max(200) });

const toContact = (c: OfficerContactRow): z.infer<typeof OfficerContact> => ({
  officer: c.officer,
  fullName: c.full_name,
  agencyCode: c.agency_code,
  unit: c.unit,
  unitHead: c.unit_head,
  email: c.email,
  channels: c.channels.filter((ch): ch is 'email' | 'webhook' => ch === 'email' || ch === 'webhook'),
  active: c.active,
  updatedBy: c.updated_by,
  updatedAt: c.updated_at.toISOString(),
});

/**
 * Where officers get reminders. The officer id is the one the desk assigns dossiers to
 * (dossiers.current_officer); a unit head is matched by the unit name dossiers carry.
 */
export function officerContactRoutes(app: ServiceApp, deps: NotificationDeps): void {
  const db = withNotifications(deps.db);

  app.get(
    '/v1/notifications/officer-contacts',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'listOfficerContacts',
        tags: ['notifications'],
        summary: 'Officers and unit heads who receive reminders',
        querystring: z.object({
          agencyCode: z.string().max(35).optional(),
          unit: z.string().max(200).optional(),
          ...PageQuery,
        }),
        response: {
          200: z.object({ items: z.array(OfficerContact), nextCursor: z.string().nullable() }),
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listOfficerContacts(db, {
        agencyCode: q.agencyCode,
        agencyCodes: scopeOf(request),
        unit: q.unit,
        after: decodeCursor(q.cursor),
        limit: q.limit,
      });
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toContact),
        nextCursor: rows.length > q.limit && last ? encodeCursor(last.officer) : null,
      };
    },
  );

  app.get(
    '/v1/notifications/officer-contacts/:officer',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'getOfficerContact',
        tags: ['notifications'],
        summary: "An officer's reminder contact",
        params: Params,
        response: { 200: OfficerContact, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const c = await findOfficerContact(db, request.params.officer);
      if (!c) throw problems.notFound('officer contact', `no contact for ${request.params.officer}`);
      requireScope(request, [c.agency_code], `officer ${c.officer}`);
      return toContact(c);
    },
  );

  app.put(
    '/v1/notifications/officer-contacts/:officer',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'putOfficerContact',
        tags: ['notifications'],
        summary: "Create or replace an officer's reminder contact",
        params: Params,
        body: z
          .object({
            fullName: nfc(200),
            agencyCode: AgencyCode,
            unit: nfc(200).nullable().default(null),
            unitHead: z.boolean().default(false),
            email: z.email().max(254).nullable().default(null),
            channels: z
              .array(z.enum(['email', 'webhook']))
              .min(1)
              .max(2)
              .default(['email']),
            active: z.boolean().default(true),
          })
          .meta({
            examples: [
              {
                fullName: 'Trần Văn Bình',
                agencyCode: '000.00.17.H55',
                unit: 'Phòng Nghiệp vụ Dược',
                unitHead: true,
                email: 'tvbinh@syt.example.vn',
                channels: ['email'],
              },
            ],
          }),
        response: { 200: OfficerContact, ...errorResponses(403, 422) },
      },
    },
    async (request) => {
      const b = request.body;
      if (b.channels.includes('email') && !b.email) {
        throw problems.unprocessable('email_required', 'reminders by e-mail need an address', [
          { in: 'body', pointer: '/email', detail: 'required with channel email' },
        ]);
      }
      requireScope(request, [b.agencyCode], `agency ${b.agencyCode}`);
      const { officer } = request.params;
      const row = await withTransaction(db, async (tx) => {
        const existing = await findOfficerContact(tx, officer);
        if (existing) requireScope(request, [existing.agency_code], `officer ${officer}`);
        // The audit keeps what changed, the address masked: the contact row holds it.
        await auditAdmin(asIntake(tx), {
          actor: actorOf(request),
          action: 'notification.officer_contact.put',
          target: `officer:${officer}`,
          detail: { ...b, email: b.email ? maskEmail(b.email) : null },
        });
        return upsertOfficerContact(tx, {
          officer,
          full_name: b.fullName,
          agency_code: b.agencyCode,
          unit: b.unit,
          unit_head: b.unitHead,
          email: b.email,
          channels: [...new Set(b.channels)],
          active: b.active,
          updated_by: actorOf(request),
          updated_at: deps.clock(),
        });
      });
      return toContact(row);
    },
  );

  app.delete(
    '/v1/notifications/officer-contacts/:officer',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'deleteOfficerContact',
        tags: ['notifications'],
        summary: "Remove an officer's contact (messages already written keep their destination)",
        params: Params,
        response: {
          204: z.null().meta({ description: 'removed', example: null }),
          ...errorResponses(403, 404),
        },
      },
    },
    async (request, reply) => {
      const { officer } = request.params;
      await withTransaction(db, async (tx) => {
        const existing = await findOfficerContact(tx, officer);
        if (!existing) throw problems.notFound('officer contact', `no contact for ${officer}`);
        requireScope(request, [existing.agency_code], `officer ${officer}`);
        await auditAdmin(asIntake(tx), {
          actor: actorOf(request),
          action: 'notification.officer_contact.delete',
          target: `officer:${officer}`,
          detail: {},
        });
        await deleteOfficerContact(tx, officer);
      });
      return reply.status(204).send(null);
    },
  );
}
