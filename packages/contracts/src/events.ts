import { z } from 'zod';

import { AuthorityLevel, Channel, DossierComponent, InterAgency, OnlineLevel, ProcedureMethod } from './procedure';

const isoInstant = z.iso.datetime({ offset: true });

const isoDate = z.iso.date();

/** A procedure version in force from `validFrom`: what intake needs to receive dossiers and kpi to count. */
export const ProcedurePublishedPayload = z.object({
  procedureId: z.uuid(),
  code: z.string(),
  localCode: z.string(),
  version: z.number().int().positive(),
  name: z.string(),
  fieldCode: z.string(),
  decidingAgencyCode: z.string(),
  receivingAgencyCode: z.string(),
  authorityLevel: AuthorityLevel,
  onlineLevel: OnlineLevel,
  methods: z.array(ProcedureMethod),
  components: z.array(DossierComponent),
  interAgency: InterAgency.nullable(),
  feeBearing: z.boolean(),
  complete: z.boolean(),
  decisionNumber: z.string(),
  validFrom: isoDate,
});

/** Suspension, resumption and abolition change only the status, from a date. */
export const ProcedureStatusPayload = z.object({
  procedureId: z.uuid(),
  code: z.string(),
  version: z.number().int().positive(),
  status: z.enum(['published', 'suspended', 'abolished']),
  decisionNumber: z.string(),
  effectiveFrom: isoDate,
});

export const DossierReceivedPayload = z.object({
  dossierId: z.uuid(),
  code: z.string(),
  procedureCode: z.string(),
  procedureVersion: z.number().int().positive(),
  fieldCode: z.string(),
  /** The agency that handles the dossier (the procedure's deciding agency). */
  agencyCode: z.string(),
  /** The desk that received it (its code prefixes the dossier code). */
  receivingAgencyCode: z.string(),
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
  'procedure.abolished': ProcedureStatusPayload,
  'procedure.suspended': ProcedureStatusPayload,
  'procedure.resumed': ProcedureStatusPayload,
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
