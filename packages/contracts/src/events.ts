import { z } from 'zod';
import { Traceparent } from './tracing';

import {
  AuthorityLevel,
  Channel,
  DossierComponent,
  InterAgency,
  OnlineLevel,
  ProcedureMethod,
  ProcessingTime,
} from './procedure';

const isoInstant = z.iso.datetime({ offset: true });

const isoDate = z.iso.date();

/** A procedure version in force from `validFrom`: what intake needs to receive dossiers and kpi to count (version 1). */
export const ProcedurePublishedPayloadV1 = z.object({
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

/**
 * Version 2 adds what the publication and online-payment indicators need, so kpi never asks
 * back. A version-1 event reads with these as null (not known then).
 */
export const ProcedurePublishedPayload = ProcedurePublishedPayloadV1.extend({
  /** Level 1-4 of Nghị định 43/2011, still reported for periods up to 2022. */
  legacyLevel: z.number().int().min(1).max(4).nullable(),
  /** The result is a paper document (no e-result possible). */
  resultIsPaper: z.boolean().nullable(),
  /** Fees can be paid online for this procedure. */
  onlinePayment: z.boolean().nullable(),
  /** The publishing decision's signing date. */
  decisionSignedOn: isoDate.nullable(),
  /** When the record appeared on the national procedure database. */
  nationalPublishedOn: isoDate.nullable(),
  /** The effective date of the legal basis that made the decision necessary: the latest of the record's legal bases. */
  legalBasisEffectiveFrom: isoDate.nullable(),
});

/** Suspension, resumption and abolition change only the status, from a date (version 1). */
export const ProcedureStatusPayloadV1 = z.object({
  procedureId: z.uuid(),
  code: z.string(),
  version: z.number().int().positive(),
  status: z.enum(['published', 'suspended', 'abolished']),
  decisionNumber: z.string(),
  effectiveFrom: isoDate,
});

/** Version 2 adds the decision's signing date (publication timeliness counts abolishing decisions too). */
export const ProcedureStatusPayload = ProcedureStatusPayloadV1.extend({
  decisionSignedOn: isoDate.nullable(),
});

export const DossierReceivedPayloadV1 = z.object({
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

/**
 * Version 2 carries the procedure's classification as it was at receipt and the statutory
 * processing time, so every indicator can be computed from the event alone. A version-1 event
 * reads with these as null (not known then).
 */
export const DossierReceivedPayload = DossierReceivedPayloadV1.extend({
  authorityLevel: AuthorityLevel.nullable(),
  onlineLevel: OnlineLevel.nullable(),
  legacyLevel: z.number().int().min(1).max(4).nullable(),
  feeBearing: z.boolean().nullable(),
  resultIsPaper: z.boolean().nullable(),
  processingTime: ProcessingTime.nullable(),
  /** The applicant's identity was taken from the national population database (VNeID). */
  populationDataUsed: z.boolean().nullable(),
  /** The legal due date set at receipt; never replaced by a rescheduled one. */
  originalDueAt: isoInstant.nullable(),
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

export const DossierStatusChangedPayloadV1 = z.object({
  ...DossierRef,
  action: z.string(),
  from: DossierStatus.nullable(),
  to: DossierStatus,
  at: isoInstant,
  /** Set when the change ends the dossier (withdrawn, stopped: counted on time). */
  timeliness: Timeliness.nullable(),
});

/**
 * Version 2 carries the dossier's due dates after the change: `dueAt` the current appointment,
 * `legalDueAt` the one timeliness is judged against (leaving a wait for the applicant moves both
 * by the working days spent waiting; a reschedule moves only `dueAt`), `originalDueAt` the one
 * printed at receipt (never moves). Null on a version-1 event (not known then) and on a dossier
 * not yet received.
 */
export const DossierStatusChangedPayload = DossierStatusChangedPayloadV1.extend({
  dueAt: isoInstant.nullable(),
  legalDueAt: isoInstant.nullable(),
  originalDueAt: isoInstant.nullable(),
});

export const DossierSupplementRequestedPayload = z.object({
  ...DossierRef,
  requestedAt: isoInstant,
  reason: z.string(),
  items: z.array(z.string()),
  withinLegalWindow: z.boolean(),
  dueAtBefore: isoInstant.nullable(),
});

export const DossierSupplementCompletedPayloadV1 = z.object({
  ...DossierRef,
  completedAt: isoInstant,
  dueAt: isoInstant.nullable(),
});

/**
 * Version 2 tells the current appointment (`dueAt`) from the date timeliness is judged against
 * (`legalDueAt`: restarted from the completion when the rule set restarts the clock, else moved
 * by the working days spent waiting), and how many working days the applicant took.
 */
export const DossierSupplementCompletedPayload = DossierSupplementCompletedPayloadV1.extend({
  legalDueAt: isoInstant.nullable(),
  waitedWorkingDays: z.number().int().nonnegative().nullable(),
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

/**
 * The dossier's receipt reached the national public-service portal (Cổng DVCQG): intake's
 * national sync had it accepted there. Emitted once per dossier, at the first delivered push that
 * carried its receipt; kpi counts it for "dossiers synced to the national portal".
 */
export const DossierNationalSyncedPayload = z.object({
  ...DossierRef,
  /** When the dossier was received (null: filed online, not yet accepted). */
  receivedAt: isoInstant.nullable(),
  /** When the national endpoint accepted the push carrying the receipt. */
  syncedAt: isoInstant,
  /** The dossier version that push carried. */
  version: z.number().int().positive(),
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

/** The sender rated the answer to a feedback (satisfaction with feedback handling). */
export const FeedbackRatedPayload = z.object({
  feedbackId: z.uuid(),
  code: z.string(),
  kind: FeedbackKind,
  agencyCode: z.string(),
  satisfaction: z.enum(['satisfied', 'normal', 'not_satisfied']),
  ratedAt: isoInstant,
});

export const ReportRequestedPayload = z.object({
  reportId: z.uuid(),
  kind: z.string(),
  params: z.record(z.string(), z.unknown()),
});

/**
 * A scheduled report is ready: the owner of its schedule is told through intake's notification
 * module (an officer message), with where to download it.
 */
export const ReportReadyPayload = z.object({
  reportId: z.uuid(),
  scheduleId: z.uuid(),
  kind: z.string(),
  title: z.string(),
  periodLabel: z.string(),
  agencyCode: z.string().nullable(),
  /** The officer the schedule names to tell (default: who set it up). */
  owner: z.string(),
  version: z.number().int().positive(),
  formats: z.array(z.string()),
  /** The report's path on the gateway (`/v1/reports/{id}`). */
  href: z.string(),
});

/** A scheduled report failed for good (its figures unavailable, or refused): its owner is told why. */
export const ReportFailedPayload = z.object({
  reportId: z.uuid(),
  scheduleId: z.uuid(),
  kind: z.string(),
  /** The kind's title, as the reports service names it. */
  title: z.string(),
  periodLabel: z.string(),
  agencyCode: z.string().nullable(),
  owner: z.string(),
  version: z.number().int().positive(),
  /** Why, as the report records it. */
  reason: z.string(),
  href: z.string(),
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
  'dossier.national_synced': DossierNationalSyncedPayload,
  'report.requested': ReportRequestedPayload,
  'report.ready': ReportReadyPayload,
  'report.failed': ReportFailedPayload,
  'feedback.received': FeedbackReceivedPayload,
  'feedback.answered': FeedbackAnsweredPayload,
  'feedback.rated': FeedbackRatedPayload,
} as const;

export type EventType = keyof typeof eventPayloads;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;
export const eventTypes = Object.keys(eventPayloads) as EventType[];
export const EventTypeSchema = z.enum(eventTypes as [EventType, ...EventType[]]);

/** How an earlier version of a payload is read: its schema and the step up to the next version. */
interface OlderVersion {
  schema: z.ZodType;
  upgrade: (payload: never) => unknown;
}

const nullAll = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, null])) as Record<K, null>;

/**
 * The schema version of each event type and how to read the earlier ones. A producer always
 * writes the current version; a consumer reads any listed version, upgraded step by step to the
 * current one, so producers and consumers can be deployed in any order. A change that adds a
 * field bumps the version and adds the step from the previous one here.
 */
export const eventVersions: { [T in EventType]: { current: number; older: Record<number, OlderVersion> } } = {
  'procedure.published': {
    current: 2,
    older: {
      1: {
        schema: ProcedurePublishedPayloadV1,
        upgrade: (p: z.infer<typeof ProcedurePublishedPayloadV1>) => ({
          ...p,
          ...nullAll([
            'legacyLevel',
            'resultIsPaper',
            'onlinePayment',
            'decisionSignedOn',
            'nationalPublishedOn',
            'legalBasisEffectiveFrom',
          ]),
        }),
      },
    },
  },
  'procedure.changed': { current: 2, older: {} },
  'procedure.abolished': {
    current: 2,
    older: {
      1: {
        schema: ProcedureStatusPayloadV1,
        upgrade: (p: z.infer<typeof ProcedureStatusPayloadV1>) => ({ ...p, decisionSignedOn: null }),
      },
    },
  },
  'procedure.suspended': { current: 2, older: {} },
  'procedure.resumed': { current: 2, older: {} },
  'dossier.received': {
    current: 2,
    older: {
      1: {
        schema: DossierReceivedPayloadV1,
        upgrade: (p: z.infer<typeof DossierReceivedPayloadV1>) => ({
          ...p,
          ...nullAll([
            'authorityLevel',
            'onlineLevel',
            'legacyLevel',
            'feeBearing',
            'resultIsPaper',
            'processingTime',
            'populationDataUsed',
          ]),
          // Before version 2 the due date at receipt was the legal one.
          originalDueAt: p.dueAt,
        }),
      },
    },
  },
  'dossier.status_changed': {
    current: 2,
    older: {
      1: {
        schema: DossierStatusChangedPayloadV1,
        upgrade: (p: z.infer<typeof DossierStatusChangedPayloadV1>) => ({
          ...p,
          dueAt: null,
          legalDueAt: null,
          originalDueAt: null,
        }),
      },
    },
  },
  'dossier.supplement_requested': { current: 1, older: {} },
  'dossier.supplement_completed': {
    current: 2,
    older: {
      1: {
        schema: DossierSupplementCompletedPayloadV1,
        // Before version 2 the due date after a supplement was also the one judged against.
        upgrade: (p: z.infer<typeof DossierSupplementCompletedPayloadV1>) => ({
          ...p,
          legalDueAt: p.dueAt,
          waitedWorkingDays: null,
        }),
      },
    },
  },
  'dossier.rescheduled': { current: 1, older: {} },
  'dossier.resolved': { current: 1, older: {} },
  'dossier.returned': { current: 1, older: {} },
  'dossier.paid': { current: 1, older: {} },
  'dossier.rated': { current: 1, older: {} },
  'dossier.national_synced': { current: 1, older: {} },
  'report.requested': { current: 1, older: {} },
  'report.ready': { current: 1, older: {} },
  'report.failed': { current: 1, older: {} },
  'feedback.received': { current: 1, older: {} },
  'feedback.answered': { current: 1, older: {} },
  'feedback.rated': { current: 1, older: {} },
};
// procedure.changed shares the payload of procedure.published, and so its history; the status
// events share theirs.
eventVersions['procedure.changed'].older = eventVersions['procedure.published'].older;
eventVersions['procedure.suspended'].older = eventVersions['procedure.abolished'].older;
eventVersions['procedure.resumed'].older = eventVersions['procedure.abolished'].older;

/** The schema version a producer writes for an event type. */
export function currentSchemaVersion(type: EventType): number {
  return eventVersions[type].current;
}

/**
 * Reads a payload written at any known version of its type, returning the current shape.
 * Throws (a ZodError or an Error naming the version) when it cannot.
 */
export function decodePayload<T extends EventType>(
  type: T,
  schemaVersion: number,
  payload: unknown,
): EventPayload<T> {
  const { current, older } = eventVersions[type];
  if (schemaVersion > current)
    throw new Error(`${type} version ${schemaVersion} is newer than this build reads (${current})`);
  let value = payload;
  for (let v = schemaVersion; v < current; v++) {
    const step = older[v];
    if (!step) throw new Error(`${type} version ${v} can no longer be read`);
    value = step.upgrade(step.schema.parse(value) as never);
  }
  return eventPayloads[type].parse(value) as EventPayload<T>;
}

/**
 * The envelope carried on every queue. `entityVersion` lets consumers drop stale events;
 * `schemaVersion` says which version of the payload's contract it was written at (1 when
 * absent: events recorded before versions were carried). `traceparent`, when tracing is on, is the
 * trace context of what sent it (absent in events sent before it was carried, or with tracing off).
 */
export const EventEnvelope = z.object({
  id: z.uuid(),
  type: EventTypeSchema,
  schemaVersion: z.number().int().positive().default(1),
  source: z.string(),
  entityId: z.string(),
  entityVersion: z.number().int().nonnegative(),
  occurredAt: isoInstant,
  requestId: z.string().nullable(),
  // A malformed one is dropped: tracing never makes an event unreadable.
  traceparent: Traceparent.optional().catch(undefined),
  payload: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export type TypedEvent<T extends EventType> = Omit<EventEnvelope, 'type' | 'payload'> & {
  type: T;
  payload: EventPayload<T>;
};

/** Parses an envelope and its payload, upgrading an older payload version to the current one. */
export function parseEvent(raw: unknown): TypedEvent<EventType> {
  const envelope = EventEnvelope.parse(raw);
  const payload = decodePayload(envelope.type, envelope.schemaVersion, envelope.payload);
  return {
    ...envelope,
    schemaVersion: currentSchemaVersion(envelope.type),
    payload,
  } as TypedEvent<EventType>;
}

/**
 * The JSON Schema of every version of every event payload, by file name
 * (`dossier.received.v2.json`), for consumers outside TypeScript. Committed under
 * packages/contracts/schemas by `npm run openapi`; a test fails when they are stale.
 */
export function eventJsonSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  const write = (type: EventType, version: number, schema: z.ZodType) => {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    out[`${type}.v${version}.json`] =
      `${JSON.stringify({ title: `${type} v${version}`, ...json }, null, 2)}\n`;
  };
  for (const type of eventTypes) {
    const { current, older } = eventVersions[type];
    write(type, current, eventPayloads[type]);
    for (const [v, step] of Object.entries(older)) write(type, Number(v), step.schema);
  }
  return out;
}
