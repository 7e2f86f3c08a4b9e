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
  homeService: z.boolean(),
  submittedAt: isoInstant,
  receivedAt: isoInstant,
  dueAt: isoInstant.nullable(),
  feesDue: z.number().int().nonnegative(),
  components: z.object({
    total: z.number().int().nonnegative(),
    digitized: z.number().int().nonnegative(),
    reused: z.number().int().nonnegative(),
    fromCitizenStore: z.number().int().nonnegative(),
  }),
  ruleSetId: z.string(),
});

export const DossierStatus = z.enum([
  'submitted',
  'received',
  'refused',
  'processing',
  'awaiting_supplement',
  'awaiting_payment',
  'withdrawn',
  'stopped',
  'resolved',
  'returned',
]);
export type DossierStatus = z.infer<typeof DossierStatus>;
export const Timeliness = z.enum(['early', 'on_time', 'late']);

/** What every dossier event carries, so a consumer can count it without asking back. */
const DossierRef = {
  dossierId: z.uuid(),
  code: z.string(),
  procedureCode: z.string(),
  fieldCode: z.string(),
  agencyCode: z.string(),
  receivingAgencyCode: z.string(),
  channel: Channel,
};

export const DossierStatusChangedPayload = z.object({
  ...DossierRef,
  action: z.string(),
  from: DossierStatus.nullable(),
  to: DossierStatus,
  at: isoInstant,
  /** Set when the change ends the dossier (withdrawn, stopped: counted on time). */
  timeliness: Timeliness.nullable(),
});

export const DossierSupplementRequestedPayload = z.object({
  ...DossierRef,
  requestedAt: isoInstant,
  reason: z.string(),
  items: z.array(z.string()),
  withinLegalWindow: z.boolean(),
  dueAtBefore: isoInstant.nullable(),
});

export const DossierSupplementCompletedPayload = z.object({
  ...DossierRef,
  completedAt: isoInstant,
  dueAt: isoInstant.nullable(),
});

export const DossierRescheduledPayload = z.object({
  ...DossierRef,
  at: isoInstant,
  reason: z.string(),
  originalDueAt: isoInstant,
  newDueAt: isoInstant,
});

export const DossierResolvedPayload = z.object({
  ...DossierRef,
  resolvedAt: isoInstant,
  judgedDueAt: isoInstant.nullable(),
  timeliness: Timeliness,
  eResult: z.boolean(),
  resultDigitized: z.boolean(),
});

export const DossierReturnedPayload = z.object({
  ...DossierRef,
  returnedAt: isoInstant,
  method: z.enum(['desk', 'post', 'online']),
  trackingNumber: z.string().nullable(),
});

export const DossierPaidPayload = z.object({
  ...DossierRef,
  paymentId: z.uuid(),
  amount: z.number().int().positive(),
  method: z.string(),
  online: z.boolean(),
  paidAt: isoInstant,
});

export const DossierRatedPayload = z.object({
  ...DossierRef,
  rating: z.enum(['satisfied', 'normal', 'not_satisfied']),
  ratedAt: isoInstant,
});

const FeedbackKind = z.enum(['regulation', 'handling']);

/** A feedback (phản ánh, kiến nghị) received, with the date its answer is due. */
export const FeedbackReceivedPayload = z.object({
  feedbackId: z.uuid(),
  code: z.string(),
  kind: FeedbackKind,
  /** The agency that must answer. */
  agencyCode: z.string(),
  procedureCode: z.string(),
  /** The dossier whose handling it is about (kind handling). */
  dossierCode: z.string().nullable(),
  receivedAt: isoInstant,
  dueAt: isoInstant,
});

/** A feedback answered, judged against its due date as civil dates in Việt Nam. */
export const FeedbackAnsweredPayload = z.object({
  feedbackId: z.uuid(),
  code: z.string(),
  kind: FeedbackKind,
  agencyCode: z.string(),
  answeredAt: isoInstant,
  dueAt: isoInstant,
  timeliness: Timeliness,
  /** Answered by the due date (early or on time): what the indicator counts. */
  onTime: z.boolean(),
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
  'dossier.status_changed': DossierStatusChangedPayload,
  'dossier.supplement_requested': DossierSupplementRequestedPayload,
  'dossier.supplement_completed': DossierSupplementCompletedPayload,
  'dossier.rescheduled': DossierRescheduledPayload,
  'dossier.resolved': DossierResolvedPayload,
  'dossier.returned': DossierReturnedPayload,
  'dossier.paid': DossierPaidPayload,
  'dossier.rated': DossierRatedPayload,
  'report.requested': ReportRequestedPayload,
  'feedback.received': FeedbackReceivedPayload,
  'feedback.answered': FeedbackAnsweredPayload,
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
