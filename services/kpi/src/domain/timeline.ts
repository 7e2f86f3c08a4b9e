import type {
  AuthorityLevel,
  Channel,
  DossierStatus,
  EventType,
  OnlineLevel,
  ProcessingTime,
  TypedEvent,
} from '@tthc/contracts';

export type DossierEventType = Extract<EventType, `dossier.${string}`>;
export type DossierEvent = TypedEvent<DossierEventType>;

/** A span during which the applicant had to act (supplement, payment): the clock stands still. */
export interface Wait {
  kind: 'supplement' | 'payment';
  startedAt: Date;
  /** Null while the applicant has not answered yet. */
  endedAt: Date | null;
  /** Supplement requested within the legal window (null: unknown, or a payment wait). */
  withinLegalWindow: boolean | null;
}

/**
 * A due date set at an instant by a dossier version: the legal one (judged against: set at
 * receipt, restarted or moved when a wait for the applicant ends, never moved by a reschedule) and
 * the current appointment (moved by a reschedule too). Either may be unknown (null) on events of
 * older versions.
 */
export interface DueChange {
  at: Date;
  version: number;
  legalDueAt: Date | null;
  dueAt: Date | null;
}

export interface Components {
  total: number;
  digitized: number;
  reused: number;
  fromCitizenStore: number;
}

/**
 * Everything kpi knows of one dossier, each fact with the instant it happened: folded from the
 * dossier's events in version order, so the arrival order of events never matters. Figures for a
 * moment in the past read this through `asOf` (./as-of), never the dossier's status today.
 */
export interface DossierTimeline {
  dossierId: string;
  code: string;
  procedureCode: string;
  procedureVersion: number | null;
  fieldCode: string;
  /** The deciding agency (rows of every figure are by it). */
  agencyCode: string;
  receivingAgencyCode: string;
  channel: Channel;
  homeService: boolean | null;
  /** Classification at receipt; null = not known (a version-1 event), never "false". */
  authorityLevel: AuthorityLevel | null;
  onlineLevel: OnlineLevel | null;
  legacyLevel: number | null;
  feeBearing: boolean | null;
  resultIsPaper: boolean | null;
  processingTime: ProcessingTime | null;
  populationDataUsed: boolean | null;
  feesDue: number | null;
  components: Components | null;
  ruleSetId: string | null;
  submittedAt: Date | null;
  /** Accepted (status 2). A dossier never received counts nowhere. */
  receivedAt: Date | null;
  /** The legal due date set at receipt: the base of the indicator view (waits subtracted). */
  receiptDueAt: Date | null;
  dueChanges: DueChange[];
  /**
   * Intake states the legal due date itself (events since the dossier clock of issue 10: it moves
   * the date when a wait ends, as its rule set says). False for older events: kpi then adds the
   * payment waits itself (domain/judgement.ts).
   */
  legalClock: boolean;
  waits: Wait[];
  rescheduledAt: Date | null;
  rescheduledDueAt: Date | null;
  resolvedAt: Date | null;
  eResult: boolean | null;
  resultDigitized: boolean | null;
  returnedAt: Date | null;
  withdrawnAt: Date | null;
  stoppedAt: Date | null;
  refusedAt: Date | null;
  firstPaidAt: Date | null;
  firstOnlinePaidAt: Date | null;
  /** When the receipt first reached the national public-service portal (intake's sync). */
  nationalSyncedAt: Date | null;
  paidAmount: number;
  rating: 'satisfied' | 'normal' | 'not_satisfied' | null;
  ratedAt: Date | null;
  /** Feedback about the handling of this dossier (kind handling), by when it was received. */
  firstComplaintAt: Date | null;
  complaints: number;
  /** The status after the newest status change known. */
  status: DossierStatus | null;
  /** The highest dossier version among the events applied. */
  lastVersion: number;
}

const at = (iso: string) => new Date(iso);
const earliest = (a: Date | null, b: Date | null): Date | null =>
  a === null ? b : b === null ? a : a <= b ? a : b;

/** Events of one dossier in the order they happened: by dossier version, then time, then id. */
export function inVersionOrder<E extends { entityVersion: number; occurredAt: string; id: string }>(
  events: readonly E[],
): E[] {
  return [...events].sort(
    (a, b) =>
      a.entityVersion - b.entityVersion ||
      a.occurredAt.localeCompare(b.occurredAt) ||
      a.id.localeCompare(b.id),
  );
}

function emptyTimeline(e: DossierEvent): DossierTimeline {
  const p = e.payload;
  return {
    dossierId: p.dossierId,
    code: p.code,
    procedureCode: p.procedureCode,
    procedureVersion: null,
    fieldCode: p.fieldCode,
    agencyCode: p.agencyCode,
    receivingAgencyCode: p.receivingAgencyCode,
    channel: p.channel,
    homeService: null,
    authorityLevel: null,
    onlineLevel: null,
    legacyLevel: null,
    feeBearing: null,
    resultIsPaper: null,
    processingTime: null,
    populationDataUsed: null,
    feesDue: null,
    components: null,
    ruleSetId: null,
    submittedAt: null,
    receivedAt: null,
    receiptDueAt: null,
    dueChanges: [],
    legalClock: false,
    waits: [],
    rescheduledAt: null,
    rescheduledDueAt: null,
    resolvedAt: null,
    eResult: null,
    resultDigitized: null,
    returnedAt: null,
    withdrawnAt: null,
    stoppedAt: null,
    refusedAt: null,
    firstPaidAt: null,
    firstOnlinePaidAt: null,
    nationalSyncedAt: null,
    paidAmount: 0,
    rating: null,
    ratedAt: null,
    firstComplaintAt: null,
    complaints: 0,
    status: null,
    lastVersion: 0,
  };
}

/** Complaints (feedback of kind handling naming the dossier) known for it. */
export interface ComplaintFact {
  receivedAt: Date;
}

/**
 * Folds a dossier's events into its timeline. Pure and total: events of any version, in any
 * arrival order, duplicates included, give the same timeline. Returns null for no events.
 */
export function foldDossier(
  events: readonly DossierEvent[],
  complaints: readonly ComplaintFact[] = [],
): DossierTimeline | null {
  const ordered = inVersionOrder(dedupe(events));
  const first = ordered[0];
  if (!first) return null;
  const t = emptyTimeline(first);
  const dues = new Map<
    number,
    { at: Date; legal: Date | null; due: Date | null; fallbackLegal: Date | null }
  >();
  const setDue = (
    version: number,
    when: Date,
    legal: Date | null,
    due: Date | null,
    fallbackLegal: Date | null = null,
  ) => {
    const prior = dues.get(version);
    dues.set(version, {
      at: prior?.at ?? when,
      legal: legal ?? prior?.legal ?? null,
      due: due ?? prior?.due ?? null,
      fallbackLegal: fallbackLegal ?? prior?.fallbackLegal ?? null,
    });
  };
  let openSupplement: Wait | null = null;
  let openPayment: Wait | null = null;
  for (const e of ordered) {
    const p = e.payload;
    // What classifies the dossier comes from its newest event.
    Object.assign(t, {
      code: p.code,
      procedureCode: p.procedureCode,
      fieldCode: p.fieldCode,
      agencyCode: p.agencyCode,
      receivingAgencyCode: p.receivingAgencyCode,
      channel: p.channel,
      lastVersion: Math.max(t.lastVersion, e.entityVersion),
    });
    switch (e.type) {
      case 'dossier.received': {
        const r = (e as TypedEvent<'dossier.received'>).payload;
        Object.assign(t, {
          procedureVersion: r.procedureVersion,
          homeService: r.homeService,
          authorityLevel: r.authorityLevel,
          onlineLevel: r.onlineLevel,
          legacyLevel: r.legacyLevel,
          feeBearing: r.feeBearing,
          resultIsPaper: r.resultIsPaper,
          processingTime: r.processingTime,
          populationDataUsed: r.populationDataUsed,
          feesDue: r.feesDue,
          components: r.components,
          ruleSetId: r.ruleSetId,
          submittedAt: at(r.submittedAt),
          receivedAt: at(r.receivedAt),
        });
        const legal = r.originalDueAt ?? r.dueAt;
        t.receiptDueAt = legal ? at(legal) : null;
        setDue(e.entityVersion, at(r.receivedAt), legal ? at(legal) : null, r.dueAt ? at(r.dueAt) : null);
        break;
      }
      case 'dossier.status_changed': {
        const s = (e as TypedEvent<'dossier.status_changed'>).payload;
        const when = at(s.at);
        t.status = s.to;
        // The legal date as intake states it; before it did, the "original" one was the legal one.
        const legal = s.legalDueAt ?? s.originalDueAt;
        if (s.legalDueAt !== null) t.legalClock = true;
        if (s.dueAt !== null || legal !== null)
          setDue(e.entityVersion, when, legal ? at(legal) : null, s.dueAt ? at(s.dueAt) : null);
        if (s.to === 'awaiting_payment' && !openPayment) {
          openPayment = { kind: 'payment', startedAt: when, endedAt: null, withinLegalWindow: null };
          t.waits.push(openPayment);
        } else if (s.from === 'awaiting_payment' && openPayment) {
          openPayment.endedAt = when;
          openPayment = null;
        }
        if (s.to === 'refused') t.refusedAt = earliest(t.refusedAt, when);
        if (s.to === 'withdrawn') t.withdrawnAt = earliest(t.withdrawnAt, when);
        if (s.to === 'stopped') t.stoppedAt = earliest(t.stoppedAt, when);
        if (s.to === 'resolved') t.resolvedAt = earliest(t.resolvedAt, when);
        if (s.to === 'returned') t.returnedAt = earliest(t.returnedAt, when);
        break;
      }
      case 'dossier.supplement_requested': {
        const s = (e as TypedEvent<'dossier.supplement_requested'>).payload;
        if (openSupplement) break; // one request open at a time: a repeat is the same request
        openSupplement = {
          kind: 'supplement',
          startedAt: at(s.requestedAt),
          endedAt: null,
          withinLegalWindow: s.withinLegalWindow,
        };
        t.waits.push(openSupplement);
        break;
      }
      case 'dossier.supplement_completed': {
        const s = (e as TypedEvent<'dossier.supplement_completed'>).payload;
        const when = at(s.completedAt);
        if (openSupplement) {
          openSupplement.endedAt = when;
          openSupplement = null;
        }
        // The legal date restarted from the completion or moved by the wait (version 2 says which;
        // version 1 had only the restarted date). A status change of the same version may say too.
        if (s.waitedWorkingDays !== null) t.legalClock = true;
        setDue(
          e.entityVersion,
          when,
          null,
          s.dueAt ? at(s.dueAt) : null,
          s.legalDueAt ? at(s.legalDueAt) : null,
        );
        break;
      }
      case 'dossier.rescheduled': {
        const r = (e as TypedEvent<'dossier.rescheduled'>).payload;
        t.rescheduledAt = at(r.at);
        t.rescheduledDueAt = at(r.newDueAt);
        setDue(e.entityVersion, at(r.at), at(r.originalDueAt), at(r.newDueAt));
        break;
      }
      case 'dossier.resolved': {
        const r = (e as TypedEvent<'dossier.resolved'>).payload;
        t.resolvedAt = earliest(t.resolvedAt, at(r.resolvedAt));
        t.eResult = r.eResult;
        t.resultDigitized = r.resultDigitized;
        break;
      }
      case 'dossier.returned':
        t.returnedAt = earliest(t.returnedAt, at((e as TypedEvent<'dossier.returned'>).payload.returnedAt));
        break;
      case 'dossier.paid': {
        const r = (e as TypedEvent<'dossier.paid'>).payload;
        const when = at(r.paidAt);
        t.firstPaidAt = earliest(t.firstPaidAt, when);
        if (r.online) t.firstOnlinePaidAt = earliest(t.firstOnlinePaidAt, when);
        t.paidAmount += r.amount;
        break;
      }
      case 'dossier.rated': {
        const r = (e as TypedEvent<'dossier.rated'>).payload;
        t.rating = r.rating;
        t.ratedAt = at(r.ratedAt);
        break;
      }
      case 'dossier.national_synced':
        t.nationalSyncedAt = earliest(
          t.nationalSyncedAt,
          at((e as TypedEvent<'dossier.national_synced'>).payload.syncedAt),
        );
        break;
    }
  }
  t.dueChanges = [...dues.entries()]
    .sort(([a], [b]) => a - b)
    .map(([version, d]) => ({ at: d.at, version, legalDueAt: d.legal ?? d.fallbackLegal, dueAt: d.due }));
  for (const c of complaints) t.firstComplaintAt = earliest(t.firstComplaintAt, c.receivedAt);
  t.complaints = complaints.length;
  closeWaitsAtEnd(t);
  return t;
}

/** A dossier that ended while the applicant was still to act stops waiting when it ends. */
function closeWaitsAtEnd(t: DossierTimeline): void {
  const end = [t.withdrawnAt, t.stoppedAt, t.resolvedAt, t.returnedAt].reduce<Date | null>(earliest, null);
  if (!end) return;
  for (const w of t.waits) if (w.endedAt === null && w.startedAt <= end) w.endedAt = end;
}

function dedupe<E extends { id: string }>(events: readonly E[]): E[] {
  const seen = new Map<string, E>();
  for (const e of events) seen.set(e.id, e);
  return [...seen.values()];
}
