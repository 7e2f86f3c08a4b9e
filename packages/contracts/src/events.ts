import { z } from 'zod';

/** Channels of a dossier, as the national portal codes them: 1 direct, 2 online, 3 postal. */
export const Channel = z.enum(['direct', 'online', 'postal']);
export type Channel = z.infer<typeof Channel>;

export const OnlineLevel = z.enum(['full', 'partial', 'none']);
export type OnlineLevel = z.infer<typeof OnlineLevel>;

const isoInstant = z.iso.datetime({ offset: true });

export const ProcedurePublishedPayload = z.object({
  procedureId: z.uuid(),
  code: z.string(),
  version: z.number().int().positive(),
  name: z.string(),
  fieldCode: z.string(),
  agencyCode: z.string(),
  onlineLevel: OnlineLevel,
  processingDays: z.number().int().nonnegative(),
  effectiveFrom: isoInstant,
});

export const ProcedureAbolishedPayload = z.object({
  procedureId: z.uuid(),
  code: z.string(),
  version: z.number().int().positive(),
  effectiveFrom: isoInstant,
});

export const DossierReceivedPayload = z.object({
  dossierId: z.uuid(),
  code: z.string(),
  procedureCode: z.string(),
  procedureVersion: z.number().int().positive(),
  fieldCode: z.string(),
  agencyCode: z.string(),
  channel: Channel,
  receivedAt: isoInstant,
  dueAt: isoInstant.nullable(),
});

export const ReportRequestedPayload = z.object({
  reportId: z.uuid(),
  kind: z.string(),
  params: z.record(z.string(), z.unknown()),
});

/**
 * Every event the suite emits, by type. A producer can only write an event whose payload
 * parses against this table, and a consumer parses it again on receipt.
 */
export const eventPayloads = {
  'procedure.published': ProcedurePublishedPayload,
  'procedure.changed': ProcedurePublishedPayload,
  'procedure.abolished': ProcedureAbolishedPayload,
  'dossier.received': DossierReceivedPayload,
  'report.requested': ReportRequestedPayload,
} as const;

export type EventType = keyof typeof eventPayloads;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;
export const eventTypes = Object.keys(eventPayloads) as EventType[];
export const EventTypeSchema = z.enum(eventTypes as [EventType, ...EventType[]]);

/** The envelope carried on every queue. `entityVersion` lets consumers drop stale events. */
export const EventEnvelope = z.object({
  id: z.uuid(),
  type: EventTypeSchema,
  source: z.string(),
  entityId: z.string(),
  entityVersion: z.number().int().nonnegative(),
  occurredAt: isoInstant,
  requestId: z.string().nullable(),
  payload: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export type TypedEvent<T extends EventType> = Omit<EventEnvelope, 'type' | 'payload'> & {
  type: T;
  payload: EventPayload<T>;
};

export function parseEvent(raw: unknown): TypedEvent<EventType> {
  const envelope = EventEnvelope.parse(raw);
  const payload = eventPayloads[envelope.type].parse(envelope.payload);
  return { ...envelope, payload } as TypedEvent<EventType>;
}
