import { decodeInstantId, encodeInstantId } from '@tthc/service-kit';
import { AgencyCode } from '@tthc/contracts';
import { problems, requireWithinScope, scopeOf as agencyScopeOf } from '@tthc/service-kit';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { MessageLogRow, MessageRow } from '../db/message.repository';
import type { TemplateRow } from '../db/template.repository';
import { maskDestination } from '../domain/mask';
import type { SmsCheck } from '../domain/sms-segments';
import { CHANNELS, TEMPLATE_EVENTS } from '../templates/template-catalogue';

const instant = z.iso.datetime({ offset: true });
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const ChannelSchema = z.enum(CHANNELS);
export const TemplateEventSchema = z.enum(TEMPLATE_EVENTS);
export const MessageStatusSchema = z.enum(['queued', 'sent', 'delivered', 'failed', 'permanently_failed']);
/** An agency code, or `default` for the department-wide settings. */
export const AgencyOrDefault = z.union([z.literal('default'), AgencyCode]);

/** A message as handlers see it: the destination masked, the text not repeated (the template version says it). */
export const NotificationMessage = z
  .object({
    id: z.uuid(),
    audience: z.enum(['citizen', 'officer']),
    dossierCode: z.string().nullable(),
    agencyCode: z.string(),
    event: z.string(),
    channel: ChannelSchema,
    recipientRole: z.enum(['applicant', 'officer', 'unit_head']),
    recipient: z.string().nullable().meta({ description: 'officer id for officer messages' }),
    destination: z.string().meta({ description: 'masked: 09******78, a***@example.vn' }),
    templateVersion: z.number().int(),
    status: MessageStatusSchema,
    attempts: z.number().int(),
    provider: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: instant,
    sentAt: instant.nullable(),
    deliveredAt: instant.nullable(),
    failedAt: instant.nullable(),
    permanentlyFailedAt: instant.nullable(),
    alertAcknowledgedAt: instant.nullable(),
  })
  .meta({
    id: 'NotificationMessage',
    examples: [
      {
        id: '5b0f9a52-61a3-4c1e-9f7e-2f9f6b0a8c11',
        audience: 'citizen',
        dossierCode: '000.20.17.H55-261123-0001',
        agencyCode: '000.00.17.H55',
        event: 'received',
        channel: 'sms',
        recipientRole: 'applicant',
        recipient: null,
        destination: '09******78',
        templateVersion: 1,
        status: 'delivered',
        attempts: 1,
        provider: 'sms_gateway',
        lastError: null,
        createdAt: '2026-11-23T02:00:01.000Z',
        sentAt: '2026-11-23T02:00:02.000Z',
        deliveredAt: '2026-11-23T02:00:09.000Z',
        failedAt: null,
        permanentlyFailedAt: null,
        alertAcknowledgedAt: null,
      },
    ],
  });

export function toMessage(m: MessageRow): z.infer<typeof NotificationMessage> {
  return {
    id: m.id,
    audience: m.audience,
    dossierCode: m.dossier_code,
    agencyCode: m.agency_code,
    event: m.event,
    channel: m.channel,
    recipientRole: m.recipient_role,
    recipient: m.recipient_ref,
    destination: maskDestination(m.destination),
    templateVersion: m.template_version,
    status: m.status,
    attempts: m.attempts,
    provider: m.provider,
    lastError: m.last_error,
    createdAt: m.created_at.toISOString(),
    sentAt: iso(m.sent_at),
    deliveredAt: iso(m.delivered_at),
    failedAt: iso(m.failed_at),
    permanentlyFailedAt: iso(m.permanently_failed_at),
    alertAcknowledgedAt: iso(m.alert_acknowledged_at),
  };
}

export const MessageTrailEntry = z.object({
  at: instant,
  kind: z.string(),
  provider: z.string().nullable(),
  outcome: z.string(),
  detail: z.string().nullable(),
});
export const toTrailEntry = (l: MessageLogRow) => ({
  at: l.at.toISOString(),
  kind: l.kind,
  provider: l.provider,
  outcome: l.outcome,
  detail: l.detail,
});

export const SmsLengthSchema = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  characters: z
    .number()
    .int()
    .meta({ description: 'septets (GSM-7, extension characters count 2) or UTF-16 units (UCS-2)' }),
  segments: z.number().int(),
  perSegment: z.number().int(),
  nonGsmCharacters: z.array(z.string()),
});
export const smsLength = (s: Omit<SmsCheck, 'warnings' | 'unaccented'>) => ({
  encoding: s.encoding,
  characters: s.units,
  segments: s.segments,
  perSegment: s.perSegment,
  nonGsmCharacters: s.nonGsmCharacters,
});

export const NotificationTemplate = z
  .object({
    event: TemplateEventSchema,
    channel: ChannelSchema,
    version: z.number().int(),
    subject: z.string().nullable(),
    body: z.string(),
    note: z.string().nullable(),
    createdBy: z.string(),
    createdAt: instant,
  })
  .meta({
    id: 'NotificationTemplate',
    examples: [
      {
        event: 'received',
        channel: 'sms',
        version: 2,
        subject: null,
        body: 'So Y te {{tinh}}: da tiep nhan ho so {{maHoSo}}, hen tra ket qua {{ngayHen}}. Tra cuu: {{linkTraCuu}}',
        note: 'Rút gọn để vừa một tin',
        createdBy: 'admin.soyte',
        createdAt: '2026-11-20T03:15:00.000Z',
      },
    ],
  });

export const toTemplate = (t: TemplateRow) => ({
  event: TemplateEventSchema.parse(t.event),
  channel: t.channel,
  version: t.version,
  subject: t.subject,
  body: t.body,
  note: t.note,
  createdBy: t.created_by,
  createdAt: t.created_at.toISOString(),
});

export const TemplatePreview = z
  .object({
    event: TemplateEventSchema,
    channel: ChannelSchema,
    version: z.number().int().nullable().meta({ description: 'null when previewing an unsaved text' }),
    subject: z.string().nullable(),
    text: z.string(),
    sms: SmsLengthSchema.nullable(),
    unaccented: z.object({ text: z.string(), sms: SmsLengthSchema }).nullable(),
    warnings: z.array(z.string()),
  })
  .meta({
    id: 'NotificationTemplatePreview',
    examples: [
      {
        event: 'returned_by_post',
        channel: 'sms',
        version: 1,
        subject: null,
        text: 'Kết quả hồ sơ 000.20.17.H55-261123-0001 đã được gửi qua bưu chính công ích, mã bưu gửi EV123456789VN.',
        sms: {
          encoding: 'UCS-2',
          characters: 104,
          segments: 2,
          perSegment: 67,
          nonGsmCharacters: ['ế', 'ả', 'ồ', 'ơ', 'đ', 'ợ', 'ử', 'ư', 'í', 'ô'],
        },
        unaccented: {
          text: 'Ket qua ho so 000.20.17.H55-261123-0001 da duoc gui qua buu chinh cong ich, ma buu gui EV123456789VN.',
          sms: { encoding: 'GSM-7', characters: 104, segments: 1, perSegment: 160, nonGsmCharacters: [] },
        },
        warnings: [
          'Tin nhắn có ký tự ngoài bảng GSM-7 ... nên mã hóa UCS-2: 104 ký tự, 2 tin (70 ký tự/tin, 67 khi ghép). Gửi không dấu: 104 ký tự, 1 tin.',
        ],
      },
    ],
  });

export const Windows = z.array(z.number().int().min(0).max(30)).max(10);

export const OfficerContact = z
  .object({
    officer: z.string(),
    fullName: z.string(),
    agencyCode: z.string(),
    unit: z.string().nullable(),
    unitHead: z.boolean(),
    email: z.string().nullable(),
    channels: z.array(z.enum(['email', 'webhook'])),
    active: z.boolean(),
    updatedBy: z.string(),
    updatedAt: instant,
  })
  .meta({
    id: 'OfficerContact',
    examples: [
      {
        officer: 'nv.lan',
        fullName: 'Nguyễn Thị Lan',
        agencyCode: '000.20.17.H55',
        unit: 'Phòng Nghiệp vụ Dược',
        unitHead: false,
        email: 'lan.nt@soyte.local',
        channels: ['email'],
        active: true,
        updatedBy: 'admin.soyte',
        updatedAt: '2026-11-20T03:15:00.000Z',
      },
    ],
  });

/** The (instant, id) keyset of the alert list; an unreadable cursor is a 400. */
export function decodeKeyset(cursor: string | undefined): { at: Date; id: string } | undefined {
  const v = decodeInstantId(cursor);
  return v ? { at: new Date(v.at), id: v.id } : undefined;
}

export const encodeKeyset = encodeInstantId;

/** Who acts, for updated_by columns and the admin audit. */
export const actorOf = (request: FastifyRequest): string => request.identity?.sub ?? 'unknown';

/**
 * Agency scope, as the rest of the intake enforces it (defence in depth: the gateway already
 * checked the role): an officer sees the data of its agency and those below it.
 */
export function requireScope(request: FastifyRequest, agencyCodes: (string | null)[], what: string): void {
  requireWithinScope(agencyScopeOf(request.identity), agencyCodes, what);
}

/** Department-wide settings (templates, the `default` agency, procedures) need a province-wide caller. */
export function requireProvinceWide(request: FastifyRequest, what: string): void {
  if ((request.identity?.agencyScope ?? null) !== null)
    throw problems.forbidden(
      `${what} applies to the whole department: only a province-wide administrator may change it`,
    );
}

export const scopeOf = (request: FastifyRequest): string[] | undefined =>
  request.identity?.agencyScope ?? undefined;
