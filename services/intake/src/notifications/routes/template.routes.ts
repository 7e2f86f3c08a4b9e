import { errorResponses, problems, type ServiceApp, ADMIN_ONLY } from '@tthc/service-kit';
import { z } from 'zod';
import { withTransaction } from '@tthc/db';
import { auditAdmin } from '../../db/access.repository';
import { nfc } from '../../domain/dossier-input';
import { asIntake, withNotifications } from '../db/notification.schema';
import {
  appendTemplateVersion,
  currentTemplate,
  listCurrentTemplates,
  listTemplateVersions,
  templateVersion,
} from '../db/template.repository';
import { previewTemplate, templateProblems, type Preview } from '../domain/template-render';
import type { NotificationDeps } from '../notification.deps';
import { EVENT_SPECS, type TemplateEvent } from '../templates/template-catalogue';
import {
  actorOf,
  ChannelSchema,
  NotificationTemplate,
  requireProvinceWide,
  smsLength,
  TemplateEventSchema,
  TemplatePreview,
  toTemplate,
} from './notification.schemas';

const Params = z.object({ event: TemplateEventSchema, channel: ChannelSchema });
const TemplateSpec = z.object({
  audience: z.enum(['citizen', 'officer']),
  description: z.string().meta({ example: 'Báo cho người nộp: hồ sơ đã được tiếp nhận, ngày hẹn trả' }),
  placeholders: z.array(z.string()).meta({ example: ['maHoSo', 'ngayHen', 'linkTraCuu'] }),
});

function requireChannel(event: TemplateEvent, channel: z.infer<typeof ChannelSchema>): void {
  if (!EVENT_SPECS[event].channels.includes(channel))
    throw problems.notFound('template', `${event} is not sent on ${channel}`);
}

const placeholderProblem = (issues: { pointer: string; detail: string }[]) =>
  problems.unprocessable(
    'unknown_placeholder',
    issues.map((i) => i.detail).join('; '),
    issues.map((i) => ({ in: 'body' as const, ...i })),
  );

const previewOut = (
  event: TemplateEvent,
  channel: z.infer<typeof ChannelSchema>,
  version: number | null,
  p: Preview,
) => ({
  event,
  channel,
  version,
  subject: p.subject,
  text: p.text,
  sms: p.sms ? smsLength(p.sms) : null,
  unaccented: p.unaccented ? { text: p.unaccented.text, sms: smsLength(p.unaccented.sms) } : null,
  warnings: p.warnings,
});

/** Templates: versioned Vietnamese texts per message kind and channel, previewed with sample data. */
export function templateRoutes(app: ServiceApp, deps: NotificationDeps): void {
  const db = withNotifications(deps.db);

  app.get(
    '/v1/notifications/templates',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'listNotificationTemplates',
        tags: ['notifications'],
        summary:
          'The templates in force, one per message kind and channel, with the placeholders each may use',
        response: {
          200: z.object({ items: z.array(NotificationTemplate.extend(TemplateSpec.shape)) }),
          ...errorResponses(),
        },
      },
    },
    async () => ({
      items: (await listCurrentTemplates(db))
        .filter((t) => TemplateEventSchema.safeParse(t.event).success)
        .map((t) => {
          const out = toTemplate(t);
          const spec = EVENT_SPECS[out.event];
          return {
            ...out,
            audience: spec.audience,
            description: spec.description,
            placeholders: [...spec.placeholders],
          };
        }),
    }),
  );

  app.get(
    '/v1/notifications/templates/:event/:channel',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'getNotificationTemplate',
        tags: ['notifications'],
        summary: 'A template in force with every earlier version (newest first)',
        params: Params,
        response: {
          200: z.object({
            current: NotificationTemplate,
            versions: z.array(NotificationTemplate),
            ...TemplateSpec.shape,
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const { event, channel } = request.params;
      requireChannel(event, channel);
      const versions = await listTemplateVersions(db, event, channel);
      const current = versions[0];
      if (!current) throw problems.notFound('template', `no template for ${event} on ${channel}`);
      const spec = EVENT_SPECS[event];
      return {
        current: toTemplate(current),
        versions: versions.map(toTemplate),
        audience: spec.audience,
        description: spec.description,
        placeholders: [...spec.placeholders],
      };
    },
  );

  app.put(
    '/v1/notifications/templates/:event/:channel',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'putNotificationTemplate',
        'x-location': '/v1/notifications/templates/{event}/{channel}',
        tags: ['notifications'],
        summary:
          'Save a new version of a template; answers with a preview on sample data and the SMS length warnings',
        description:
          'Each save is a new version; messages record the version they used. A placeholder the message kind does not fill is refused (422).',
        params: Params,
        body: z
          .object({ subject: nfc(300).nullable().default(null), body: nfc(2000), note: nfc(500).optional() })
          .meta({
            examples: [
              {
                subject: null,
                body: 'Ho so {{dossierCode}} da duoc tiep nhan. Hen tra ket qua ngay {{dueDate}}. Tra cuu: {{trackingLink}}',
                note: 'Bản không dấu',
              },
            ],
          }),
        response: {
          201: z.object({ template: NotificationTemplate, preview: TemplatePreview }),
          ...errorResponses(403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const { event, channel } = request.params;
      requireChannel(event, channel);
      requireProvinceWide(request, 'a template');
      const { subject, body, note } = request.body;
      if (channel === 'sms' && subject !== null) {
        throw problems.unprocessable('subject_not_allowed', 'an SMS has no subject', [
          { in: 'body', pointer: '/subject', detail: 'must be null for sms' },
        ]);
      }
      const issues = templateProblems(event, { subject, body });
      if (issues.length > 0) throw placeholderProblem(issues);
      let saved;
      try {
        saved = await withTransaction(db, async (tx) => {
          const row = await appendTemplateVersion(tx, {
            event,
            channel,
            subject,
            body,
            note: note ?? null,
            created_by: actorOf(request),
          });
          await auditAdmin(asIntake(tx), {
            actor: actorOf(request),
            action: 'notification.template.put',
            target: `template:${event}/${channel}`,
            detail: { version: row.version, note: row.note },
          });
          return row;
        });
      } catch (err) {
        if ((err as { code?: string }).code === '23505')
          throw problems.conflict(
            'template_edited_concurrently',
            `another version of ${event}/${channel} was saved at the same moment; reload and save again`,
          );
        throw err;
      }
      return reply.status(201).send({
        template: toTemplate(saved),
        preview: previewOut(event, channel, saved.version, previewTemplate(saved, channel)),
      });
    },
  );

  app.post(
    '/v1/notifications/templates/:event/:channel/preview',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'previewNotificationTemplate',
        tags: ['notifications'],
        summary:
          'Render a template (in force, an earlier version, or an unsaved text) with sample or given data; SMS length in segments',
        params: Params,
        body: z
          .object({
            version: z.number().int().positive().optional(),
            subject: nfc(300).nullable().optional(),
            body: nfc(2000).optional(),
            data: z.record(z.string().max(100), z.string().max(1000)).default({}),
            unaccented: z
              .boolean()
              .default(false)
              .meta({ description: 'preview as an agency sending SMS without diacritics' }),
          })
          .meta({ examples: [{ data: { dossierCode: '000.20.17.H55-261123-0007' }, unaccented: true }] }),
        response: { 200: TemplatePreview, ...errorResponses(404, 422) },
      },
    },
    async (request) => {
      const { event, channel } = request.params;
      requireChannel(event, channel);
      const b = request.body;
      let version: number | null = null;
      let template: { subject: string | null; body: string };
      if (b.body !== undefined) {
        template = { subject: b.subject ?? null, body: b.body };
        const issues = templateProblems(event, template);
        if (issues.length > 0) throw placeholderProblem(issues);
      } else {
        const row = b.version
          ? await templateVersion(db, event, channel, b.version)
          : await currentTemplate(db, event, channel);
        if (!row)
          throw problems.notFound(
            'template',
            b.version
              ? `no version ${b.version} of ${event} on ${channel}`
              : `no template for ${event} on ${channel}`,
          );
        template = row;
        version = row.version;
      }
      return previewOut(event, channel, version, previewTemplate(template, channel, b.data, b.unaccented));
    },
  );
}
