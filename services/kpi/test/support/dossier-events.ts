import { randomUUID } from 'node:crypto';
import { currentSchemaVersion, type Channel, type EventPayload, type TypedEvent } from '@tthc/contracts';
import { toDayNumber, vnDate } from '@tthc/calendar';
import type { DossierEvent, DossierEventType } from '../../src/domain/timeline';
import { kpiCalendar } from '../../src/domain/working-calendar';

/** An instant given as Việt Nam wall-clock time: vn('2026-01-05 09:00'). */
export const vn = (local: string): string => new Date(`${local.replace(' ', 'T')}:00+07:00`).toISOString();

export interface DossierSpec {
  code?: string;
  dossierId?: string;
  procedureCode?: string;
  procedureVersion?: number;
  fieldCode?: string;
  agencyCode?: string;
  channel?: Channel;
  authorityLevel?: 'province' | 'district' | 'commune' | null;
  feesDue?: number;
  feeBearing?: boolean | null;
  components?: { total: number; digitized: number; reused: number; fromCitizenStore: number };
  populationDataUsed?: boolean | null;
  /** Events as intake wrote them before the dossier clock (issue 10): no legal due date stated. */
  legacyClock?: boolean;
  /** Intake's rule-set parameter: waiting for payment stops the clock (pause) or counts. */
  paymentWait?: 'pause' | 'count';
}

/** As intake moves a due date by N working days, keeping its time of day. */
function shiftWorkingDays(at: string, n: number): string {
  const from = vnDate(new Date(at));
  const days = toDayNumber(kpiCalendar().addWorkingDays(from, n)) - toDayNumber(from);
  return new Date(new Date(at).getTime() + days * 86_400_000).toISOString();
}

let serial = 0;

/**
 * Builds the events intake would emit for one dossier, each a step of its life with the next
 * dossier version. Tests state only what matters to them: dossier().received(at, due).resolved(at).
 */
export class DossierStory {
  readonly events: DossierEvent[] = [];
  readonly id: string;
  readonly code: string;
  private version = 0;
  private status: string | null = null;
  private due: string | null = null;
  private legal: string | null = null;
  private original: string | null = null;
  private waitingSince: string | null = null;

  constructor(readonly spec: DossierSpec = {}) {
    this.id = spec.dossierId ?? randomUUID();
    this.code = spec.code ?? `000.20.17.H55-260105-${String(++serial).padStart(4, '0')}`;
  }

  private ref() {
    return {
      dossierId: this.id,
      code: this.code,
      procedureCode: this.spec.procedureCode ?? '1.004579',
      fieldCode: this.spec.fieldCode ?? 'DUOC_PHAM',
      agencyCode: this.spec.agencyCode ?? '000.00.17.H55',
      receivingAgencyCode: '000.20.17.H55',
      channel: this.spec.channel ?? 'online',
    };
  }

  private push<T extends DossierEventType>(type: T, payload: EventPayload<T>, at: string, bump = true): this {
    if (bump) this.version++;
    const e: TypedEvent<T> = {
      id: randomUUID(),
      type,
      schemaVersion: currentSchemaVersion(type),
      source: 'intake',
      entityId: this.id,
      entityVersion: this.version,
      occurredAt: at,
      requestId: null,
      payload,
    };
    this.events.push(e as unknown as DossierEvent);
    return this;
  }

  private move(
    to: string,
    at: string,
    action: string,
    bump = true,
    timeliness: 'on_time' | null = null,
  ): this {
    const from = this.status;
    this.status = to;
    const legacy = this.spec.legacyClock === true;
    return this.push(
      'dossier.status_changed',
      {
        ...this.ref(),
        action,
        from: from as never,
        to: to as never,
        at,
        timeliness,
        dueAt: this.due,
        legalDueAt: legacy ? null : this.legal,
        originalDueAt: legacy ? this.legal : this.original,
      },
      at,
      bump,
    );
  }

  received(at: string, dueAt: string | null): this {
    this.due = dueAt;
    this.legal = dueAt;
    this.original = dueAt;
    const s = this.spec;
    this.push(
      'dossier.received',
      {
        ...this.ref(),
        procedureVersion: s.procedureVersion ?? 1,
        homeService: false,
        submittedAt: at,
        receivedAt: at,
        dueAt,
        feesDue: s.feesDue ?? 0,
        components: s.components ?? { total: 2, digitized: 2, reused: 0, fromCitizenStore: 0 },
        ruleSetId: 'ND61-2018',
        authorityLevel: s.authorityLevel === undefined ? 'province' : s.authorityLevel,
        onlineLevel: 'full',
        legacyLevel: 4,
        feeBearing: s.feeBearing === undefined ? (s.feesDue ?? 0) > 0 : s.feeBearing,
        resultIsPaper: false,
        processingTime: { value: 15, unit: 'working_days' },
        populationDataUsed: s.populationDataUsed === undefined ? true : s.populationDataUsed,
        originalDueAt: dueAt,
      },
      at,
    );
    return this.move('received', at, 'receive', false);
  }

  submitted(at: string): this {
    return this.move('submitted', at, 'submit');
  }

  refused(at: string): this {
    return this.move('refused', at, 'refuse');
  }

  processing(at: string): this {
    return this.move('processing', at, 'assign');
  }

  supplementRequested(at: string): this {
    this.waitingSince = at;
    this.push(
      'dossier.supplement_requested',
      {
        ...this.ref(),
        requestedAt: at,
        reason: 'Thiếu bản sao',
        items: ['Bản sao'],
        withinLegalWindow: true,
        dueAtBefore: this.due,
      },
      at,
    );
    return this.move('awaiting_supplement', at, 'request_supplement', false);
  }

  /** The applicant completed it; intake restarts the clock: the new legal due date. */
  supplementCompleted(at: string, newDueAt: string): this {
    const waited = this.waitingSince
      ? kpiCalendar().countWorkingDays(new Date(this.waitingSince), new Date(at))
      : 0;
    this.due = newDueAt;
    this.legal = newDueAt;
    this.waitingSince = null;
    this.push(
      'dossier.supplement_completed',
      {
        ...this.ref(),
        completedAt: at,
        dueAt: newDueAt,
        legalDueAt: newDueAt,
        waitedWorkingDays: this.spec.legacyClock ? null : waited,
      },
      at,
    );
    return this.move('processing', at, 'complete_supplement', false);
  }

  paymentRequested(at: string): this {
    this.waitingSince = at;
    return this.move('awaiting_payment', at, 'request_payment');
  }

  /** A payment; one that ends a wait for it moves the due dates by the working days waited (intake's paymentWait: pause). */
  paid(at: string, online: boolean, amount = 500_000): this {
    this.push(
      'dossier.paid',
      {
        ...this.ref(),
        paymentId: randomUUID(),
        amount,
        method: online ? 'vnpay' : 'cash',
        online,
        paidAt: at,
      },
      at,
    );
    if (this.status !== 'awaiting_payment') return this;
    if (!this.spec.legacyClock && this.spec.paymentWait !== 'count' && this.waitingSince) {
      const waited = kpiCalendar().countWorkingDays(new Date(this.waitingSince), new Date(at));
      this.due = this.due && shiftWorkingDays(this.due, waited);
      this.legal = this.legal && shiftWorkingDays(this.legal, waited);
    }
    this.waitingSince = null;
    return this.move('processing', at, 'record_payment', false);
  }

  rescheduled(at: string, newDueAt: string): this {
    const judged = this.legal ?? this.due ?? newDueAt;
    this.due = newDueAt;
    return this.push(
      'dossier.rescheduled',
      { ...this.ref(), at, reason: 'Cần thẩm định thực tế', originalDueAt: judged, newDueAt },
      at,
    );
  }

  resolved(at: string, result: { eResult?: boolean; resultDigitized?: boolean } = {}): this {
    this.push(
      'dossier.resolved',
      {
        ...this.ref(),
        resolvedAt: at,
        judgedDueAt: this.original,
        timeliness: 'on_time',
        eResult: result.eResult ?? true,
        resultDigitized: result.resultDigitized ?? true,
      },
      at,
    );
    return this.move('resolved', at, 'resolve', false);
  }

  returned(at: string): this {
    this.push(
      'dossier.returned',
      { ...this.ref(), returnedAt: at, method: 'online', trackingNumber: null },
      at,
    );
    return this.move('returned', at, 'return', false);
  }

  withdrawn(at: string): this {
    return this.move('withdrawn', at, 'withdraw', true, 'on_time');
  }

  stopped(at: string): this {
    return this.move('stopped', at, 'stop', true, 'on_time');
  }

  rated(at: string, rating: 'satisfied' | 'normal' | 'not_satisfied'): this {
    return this.push('dossier.rated', { ...this.ref(), rating, ratedAt: at }, at);
  }

  /** Intake's sync had the receipt accepted by the national portal (the dossier's version unchanged). */
  nationalSynced(at: string, receivedAt: string | null = null): this {
    return this.push(
      'dossier.national_synced',
      { ...this.ref(), receivedAt, syncedAt: at, version: Math.max(this.version, 1) },
      at,
      false,
    );
  }
}

export const dossier = (spec?: DossierSpec) => new DossierStory(spec);

/** A deterministic shuffle (a seed per call), so a failing order can be reproduced. */
export function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
