import { withTransaction } from '@tthc/db';
import { errorResponses, problems, type ServiceApp, ADMIN_ONLY } from '@tthc/service-kit';
import { z } from 'zod';
import { auditAdmin } from '../../db/access.repository';
import { nfc } from '../../domain/dossier-input';
import { asIntake, withNotifications, type NotifyExecutor } from '../db/notification.schema';
import {
  agencySettings,
  deleteProcedureSettings,
  procedureSettings,
  switchesFor,
  upsertAgencySettings,
  upsertProcedureSettings,
  upsertSwitch,
} from '../db/settings.repository';
import { DEFAULT_SWITCH } from '../domain/channel-choice';
import { normalizeWindows } from '../domain/reminder-windows';
import type { NotificationDeps } from '../notification.deps';
import { EVENT_SPECS, TEMPLATE_EVENTS } from '../templates/template-catalogue';
import {
  actorOf,
  AgencyOrDefault,
  ChannelSchema,
  requireProvinceWide,
  requireScope,
  TemplateEventSchema,
  Windows,
} from './notification.schemas';

const Switch = z.object({ event: TemplateEventSchema, channel: ChannelSchema, enabled: z.boolean() });
const AgencySettings = z
  .object({
    agencyCode: z.string(),
    smsUnaccented: z.boolean(),
    resultPlace: z.string(),
    reminderWindows: Windows,
    switches: z.array(Switch.extend({ source: z.enum(['agency', 'default', 'built_in']) })),
  })
  .meta({
    id: 'NotificationAgencySettings',
    examples: [
      {
        agencyCode: '000.20.17.H55',
        smsUnaccented: true,
        resultPlace: 'Trung tâm Phục vụ hành chính công tỉnh',
        reminderWindows: [3, 1],
        switches: [{ event: 'received', channel: 'sms', enabled: true, source: 'default' }],
      },
    ],
  });

/** What applies to an agency: its own values, else the department's (`default`), else the built-ins. */
async function effective(
  db: NotifyExecutor,
  deps: NotificationDeps,
  agencyCode: string,
): Promise<z.infer<typeof AgencySettings>> {
  const codes = [agencyCode, 'default'];
  const [settings, switches] = await Promise.all([agencySettings(db, codes), switchesFor(db, codes)]);
  const own = settings.find((s) => s.agency_code === agencyCode);
  const dept = settings.find((s) => s.agency_code === 'default');
  const out: z.infer<typeof AgencySettings>['switches'] = [];
  for (const event of TEMPLATE_EVENTS) {
    for (const channel of EVENT_SPECS[event].channels) {
      const mine = switches.find(
        (s) => s.agency_code === agencyCode && s.event === event && s.channel === channel,
      );
      const theirs = switches.find(
        (s) => s.agency_code === 'default' && s.event === event && s.channel === channel,
      );
      const pick = mine ?? theirs;
      out.push({
        event,
        channel,
        enabled: pick ? pick.enabled : DEFAULT_SWITCH[channel],
        source: mine ? 'agency' : theirs ? 'default' : 'built_in',
      });
    }
  }
  return {
    agencyCode,
    smsUnaccented: own?.sms_unaccented ?? dept?.sms_unaccented ?? false,
    resultPlace: own?.result_place ?? dept?.result_place ?? deps.config.NOTIFY_RESULT_PLACE,
    reminderWindows: normalizeWindows(
      own?.reminder_windows ?? dept?.reminder_windows ?? deps.config.NOTIFY_REMINDER_WINDOWS,
    ),
    switches: out,
  };
}

/** Per-agency options (switches per message kind and channel, unaccented SMS, result place, reminder windows) and per-procedure windows. */
export function notificationSettingsRoutes(app: ServiceApp, deps: NotificationDeps): void {
  const db = withNotifications(deps.db);
  const AgencyParams = z.object({ agencyCode: AgencyOrDefault });

  app.get(
    '/v1/notifications/agencies/:agencyCode/settings',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'getNotificationAgencySettings',
        tags: ['notifications'],
        summary:
          "An agency's notification settings as they apply (its own, else the department's `default`, else built-in)",
        params: AgencyParams,
        response: { 200: AgencySettings, ...errorResponses(403) },
      },
    },
    async (request) => {
      const { agencyCode } = request.params;
      if (agencyCode !== 'default') requireScope(request, [agencyCode], `agency ${agencyCode}`);
      return effective(db, deps, agencyCode);
    },
  );

  app.put(
    '/v1/notifications/agencies/:agencyCode/settings',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'putNotificationAgencySettings',
        tags: ['notifications'],
        summary:
          "Set an agency's switches and options (only the fields sent change); `default` sets them for the whole department",
        params: AgencyParams,
        body: z
          .object({
            smsUnaccented: z.boolean().optional().meta({
              description: 'send SMS without diacritics (GSM-7: 160 characters a message instead of 70)',
            }),
            resultPlace: nfc(500).nullable().optional(),
            reminderWindows: Windows.nullable()
              .optional()
              .meta({ description: 'working days before the due date; 0 = due today' }),
            switches: z.array(Switch).max(100).optional(),
          })
          .meta({
            examples: [
              {
                smsUnaccented: true,
                reminderWindows: [3, 1, 0],
                switches: [{ event: 'received', channel: 'email', enabled: false }],
              },
            ],
          }),
        response: { 200: AgencySettings, ...errorResponses(403, 422) },
      },
    },
    async (request) => {
      const { agencyCode } = request.params;
      if (agencyCode === 'default') requireProvinceWide(request, 'the department-wide setting');
      else requireScope(request, [agencyCode], `agency ${agencyCode}`);
      const b = request.body;
      for (const [i, s] of (b.switches ?? []).entries()) {
        if (!EVENT_SPECS[s.event].channels.includes(s.channel)) {
          throw problems.unprocessable('channel_not_offered', `${s.event} is not sent on ${s.channel}`, [
            {
              in: 'body',
              pointer: `/switches/${i}/channel`,
              detail: `one of: ${EVENT_SPECS[s.event].channels.join(', ')}`,
            },
          ]);
        }
      }
      const by = actorOf(request);
      const at = deps.clock();
      await withTransaction(db, async (tx) => {
        await auditAdmin(asIntake(tx), {
          actor: by,
          action: 'notification.agency_settings.put',
          target: `agency:${agencyCode}`,
          detail: b,
        });
        await upsertAgencySettings(tx, {
          agency_code: agencyCode,
          updated_by: by,
          updated_at: at,
          ...(b.smsUnaccented === undefined ? {} : { sms_unaccented: b.smsUnaccented }),
          ...(b.resultPlace === undefined ? {} : { result_place: b.resultPlace }),
          ...(b.reminderWindows === undefined
            ? {}
            : { reminder_windows: b.reminderWindows === null ? null : normalizeWindows(b.reminderWindows) }),
        });
        for (const s of b.switches ?? [])
          await upsertSwitch(tx, {
            agency_code: agencyCode,
            event: s.event,
            channel: s.channel,
            enabled: s.enabled,
            updated_by: by,
            updated_at: at,
          });
      });
      return effective(db, deps, agencyCode);
    },
  );

  const ProcedureParams = z.object({
    code: z.string().regex(/^\d\.\d{6}$/, 'procedure code: a digit, a dot and six digits'),
  });
  const ProcedureWindows = z
    .object({
      procedureCode: z.string(),
      reminderWindows: Windows,
      updatedBy: z.string(),
      updatedAt: z.iso.datetime({ offset: true }),
    })
    .meta({
      examples: [
        {
          procedureCode: '1.004579',
          reminderWindows: [5, 2],
          updatedBy: 'admin.soyte',
          updatedAt: '2026-11-20T03:15:00.000Z',
        },
      ],
    });

  app.get(
    '/v1/notifications/procedures/:code/reminder-windows',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'getProcedureReminderWindows',
        tags: ['notifications'],
        summary: "A procedure's own reminder windows (404 when it uses its agency's)",
        params: ProcedureParams,
        response: { 200: ProcedureWindows, ...errorResponses(404) },
      },
    },
    async (request) => {
      const row = await procedureSettings(db, request.params.code);
      if (!row)
        throw problems.notFound(
          'reminder windows',
          `procedure ${request.params.code} uses its agency's windows`,
        );
      return {
        procedureCode: row.procedure_code,
        reminderWindows: row.reminder_windows,
        updatedBy: row.updated_by,
        updatedAt: row.updated_at.toISOString(),
      };
    },
  );

  app.put(
    '/v1/notifications/procedures/:code/reminder-windows',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'putProcedureReminderWindows',
        tags: ['notifications'],
        summary:
          "Set the reminder windows of one procedure (working days before the due date; they win over the agency's)",
        params: ProcedureParams,
        body: z
          .object({ reminderWindows: Windows.min(1) })
          .meta({ examples: [{ reminderWindows: [5, 2, 0] }] }),
        response: { 200: ProcedureWindows, ...errorResponses(403) },
      },
    },
    async (request) => {
      requireProvinceWide(request, "a procedure's reminder windows");
      const row = await withTransaction(db, async (tx) => {
        await auditAdmin(asIntake(tx), {
          actor: actorOf(request),
          action: 'notification.procedure_windows.put',
          target: `procedure:${request.params.code}`,
          detail: request.body,
        });
        return upsertProcedureSettings(tx, {
          procedure_code: request.params.code,
          reminder_windows: normalizeWindows(request.body.reminderWindows),
          updated_by: actorOf(request),
          updated_at: deps.clock(),
        });
      });
      return {
        procedureCode: row.procedure_code,
        reminderWindows: row.reminder_windows,
        updatedBy: row.updated_by,
        updatedAt: row.updated_at.toISOString(),
      };
    },
  );

  app.delete(
    '/v1/notifications/procedures/:code/reminder-windows',
    {
      schema: {
        'x-access': { roles: ADMIN_ONLY, agencyScoped: false },
        operationId: 'deleteProcedureReminderWindows',
        tags: ['notifications'],
        summary: "Remove a procedure's own windows: its agency's apply again",
        params: ProcedureParams,
        response: {
          204: z.null().meta({ description: 'removed', example: null }),
          ...errorResponses(403, 404),
        },
      },
    },
    async (request, reply) => {
      requireProvinceWide(request, "a procedure's reminder windows");
      const removed = await withTransaction(db, async (tx) => {
        await auditAdmin(asIntake(tx), {
          actor: actorOf(request),
          action: 'notification.procedure_windows.delete',
          target: `procedure:${request.params.code}`,
          detail: {},
        });
        return deleteProcedureSettings(tx, request.params.code);
      });
      if (!removed)
        throw problems.notFound(
          'reminder windows',
          `procedure ${request.params.code} has no windows of its own`,
        );
      return reply.status(204).send(null);
    },
  );
}
