import { toDayNumber, vnDate, vnInstant, type WorkingCalendar } from '@tthc/calendar';
import {
  currentSchemaVersion,
  type Channel,
  type DossierComponent,
  type DossierStatus,
  type EventPayload,
  type EventType,
  type InterAgency,
  type ProcedureMethod,
  type TypedEvent,
} from '@tthc/contracts';
import type { Insertable } from 'kysely';
import type { RuleParams } from '../../services/intake/src/calendar';
import { newDossierRow } from '../../services/intake/src/commands/dossier-row';
import type { ProcedureVersionCopy } from '../../services/intake/src/db/procedure.repository';
import type {
  DossierHistoryTable,
  DossierPaymentTable,
  DossierRatingTable,
  DossierStepTable,
  DossierSupplementTable,
  DossierTable,
} from '../../services/intake/src/db/schema';
import {
  dueDateFor,
  judge,
  PAPER_TRANSFER_TASK,
  paperTransferDue,
  supplementWithinWindow,
} from '../../services/intake/src/domain/deadline';
import { dossierCode } from '../../services/intake/src/domain/dossier-code';
import type { Random } from './random';

type DossierEventType = Extract<EventType, `dossier.${string}`>;
export type DossierEvent = TypedEvent<DossierEventType>;

/** What a dossier needs to know of the world it is generated in. */
export interface StoryContext {
  rng: Random;
  cal: WorkingCalendar;
  rules: RuleParams;
  ruleSetId: string;
  /** The instant the generated data stands at: nothing later has happened yet. */
  now: Date;
  /** The next serial of a receiving agency on a day (codes unique and consecutive per agency-day). */
  nextSerial: (agencyCode: string, day: string) => number;
  /** Portal references already drawn (unique, as intake's index requires). */
  references: Set<string>;
}

/** A procedure version as the generator draws dossiers of it. */
export interface Procedure {
  row: ProcedureVersionCopy;
  methods: ProcedureMethod[];
  components: DossierComponent[];
  interAgency: InterAgency | null;
}

/** Everything one generated dossier writes: intake's rows and the events it emitted. */
export interface GeneratedDossier {
  dossier: Insertable<DossierTable> & { id: string };
  history: Insertable<DossierHistoryTable>[];
  supplements: Insertable<DossierSupplementTable>[];
  steps: Insertable<DossierStepTable>[];
  payments: Insertable<DossierPaymentTable>[];
  rating: Insertable<DossierRatingTable> | null;
  events: DossierEvent[];
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Đức', 'Thu', 'Hữu', 'Thanh'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Hương', 'Khoa', 'Lan', 'Long', 'Mai', 'Nam', 'Phúc'];
const COMPANY = [
  'Dược phẩm Bình Minh',
  'Thiết bị y tế Hưng Thịnh',
  'Phòng khám Đa khoa An Tâm',
  'Thực phẩm Sao Việt',
];

/** Office time of a day, in minutes after midnight, within 07:30–11:30 and 13:00–17:00. */
function officeMinute(rng: Random): number {
  return rng.chance(0.5) ? rng.int(7 * 60 + 30, 11 * 60 + 29) : rng.int(13 * 60, 16 * 60 + 59);
}

const later = (a: Date, b: Date): Date => (a > b ? a : b);
const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

/**
 * One dossier's life, drawn step by step the way intake lives it (the same due-date and judgement
 * functions as intake), emitting the events intake would emit and keeping intake's rows. Nothing
 * after `now` happens: a dossier caught mid-life stays in progress in the state it had reached.
 */
export class DossierStory {
  private readonly out: GeneratedDossier;
  private version = 0;
  private status: DossierStatus | null = null;
  private due: Date | null = null;
  private legal: Date | null = null;
  private original: Date | null = null;
  private waitingSince: Date | null = null;
  private last: Date;
  private cut = false;

  constructor(
    private readonly ctx: StoryContext,
    private readonly procedure: Procedure,
    private readonly channel: Channel,
    submittedAt: Date,
  ) {
    const { rng } = ctx;
    const p = procedure.row;
    const id = rng.uuid();
    const method = procedure.methods.find((m) => m.channel === channel) ?? procedure.methods[0];
    if (!method) throw new Error(`procedure ${p.code} has no method`);
    const fees = method.fees.reduce((s, f) => s + f.amount, 0);
    const comps = (procedure.components.length > 0 ? procedure.components : [null]).map((c) => {
      const digitized = channel === 'online' || rng.chance(0.7);
      return {
        name: c?.name ?? 'Đơn đề nghị',
        originals: c?.originals ?? 1,
        copies: c?.copies ?? 0,
        digitized,
        reused: digitized && rng.chance(0.3),
        fromCitizenStore: channel === 'online' && rng.chance(0.2),
      };
    });
    const organisation = rng.chance(0.25);
    const fullName = organisation
      ? `Công ty TNHH ${rng.pick(COMPANY)}`
      : `${rng.pick(FAMILY)} ${rng.pick(MIDDLE)} ${rng.pick(GIVEN)}`;
    // Eight hex digits a day collide by chance over a million dossiers: drawn again until new.
    let reference: string;
    do
      reference = `P-${vnDate(submittedAt).slice(2).replaceAll('-', '')}-${rng.uuid().slice(0, 8).toUpperCase()}`;
    while (this.ctx.references.has(reference));
    this.ctx.references.add(reference);
    this.out = {
      dossier: {
        ...newDossierRow(
          p,
          {
            kind: organisation ? 'organisation' : 'person',
            fullName: fullName.normalize('NFC'),
            phone: `09${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
            idNumber: String(rng.int(0, 999_999_999)).padStart(9, '0') + String(rng.int(100, 999)),
          },
          {
            id,
            code: reference,
            reference: channel === 'online' ? reference : null,
            channel,
            home_service: channel === 'direct' && rng.chance(0.01),
            population_data_used: channel === 'online' ? rng.chance(0.8) : rng.chance(0.4),
            status: 'submitted',
            components: JSON.stringify(comps),
            fees_due: fees,
            processing_time: JSON.stringify(method.processingTime),
            rule_set_id: ctx.ruleSetId,
            submitted_at: submittedAt,
            received_at: null,
            version: 0,
            created_at: submittedAt,
          },
        ),
        id,
      },
      history: [],
      supplements: [],
      steps: [],
      payments: [],
      rating: null,
      events: [],
    };
    this.last = submittedAt;
    this.processingTime = method.processingTime;
    this.compSummary = {
      total: comps.length,
      digitized: comps.filter((c) => c.digitized).length,
      reused: comps.filter((c) => c.reused).length,
      fromCitizenStore: comps.filter((c) => c.fromCitizenStore).length,
    };
  }

  private readonly processingTime: ProcedureMethod['processingTime'];
  private readonly compSummary: {
    total: number;
    digitized: number;
    reused: number;
    fromCitizenStore: number;
  };

  get result(): GeneratedDossier {
    return this.out;
  }

  /** Whether a step at this instant happens (not after now, not after an earlier step was cut). */
  private happens(at: Date): boolean {
    if (this.cut || at > this.ctx.now) this.cut = true;
    return !this.cut;
  }

  private dossierRef() {
    const d = this.out.dossier;
    return {
      dossierId: d.id,
      code: d.code,
      procedureCode: d.procedure_code,
      fieldCode: d.field_code,
      agencyCode: d.agency_code,
      receivingAgencyCode: d.receiving_agency_code,
      channel: d.channel,
    };
  }

  private push<T extends DossierEventType>(type: T, payload: EventPayload<T>, at: Date, bump = true) {
    if (bump) this.version++;
    this.out.events.push({
      id: this.ctx.rng.uuid(),
      type,
      schemaVersion: currentSchemaVersion(type),
      source: 'intake',
      entityId: this.out.dossier.id,
      entityVersion: this.version,
      occurredAt: at.toISOString(),
      requestId: null,
      payload,
    } as unknown as DossierEvent);
    this.last = later(this.last, at);
  }

  private record(action: string, at: Date, from: DossierStatus | null, to: DossierStatus) {
    const desk = action === 'submit' ? null : this.out.dossier.receiving_agency_code;
    this.out.history.push({
      dossier_id: this.out.dossier.id,
      dossier_version: this.version,
      action,
      from_status: from,
      to_status: to,
      actor: action === 'submit' || action === 'rate' ? 'portal' : 'officer.generated',
      actor_role: action === 'submit' || action === 'rate' ? 'portal' : 'desk_officer',
      actor_agency: desk,
      at,
      payload: '{}',
    });
  }

  private move(
    to: DossierStatus,
    at: Date,
    action: string,
    bump = true,
    timeliness: 'on_time' | null = null,
  ): void {
    const from = this.status;
    this.status = to;
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    this.push(
      'dossier.status_changed',
      {
        ...this.dossierRef(),
        action,
        from,
        to,
        at: at.toISOString(),
        timeliness,
        dueAt: iso(this.due),
        legalDueAt: iso(this.legal),
        originalDueAt: iso(this.original),
      },
      at,
      bump,
    );
    this.record(action, at, from, to);
  }

  /** A working day `n` after (or before) the civil day of an instant, at an office time. */
  private workingDay(at: Date, n: number): Date {
    const day = this.ctx.cal.addWorkingDays(this.ctx.cal.workingDayOnOrAfter(vnDate(at)), n);
    return vnInstant(day, officeMinute(this.ctx.rng));
  }

  /** An instant some working days after the latest step, never before it. */
  nextAt(min: number, max: number): Date {
    const at = this.workingDay(this.last, this.ctx.rng.int(min, max));
    return at > this.last ? at : minutes(this.last, this.ctx.rng.int(5, 90));
  }

  submit(): this {
    if (!this.happens(this.last)) return this;
    this.move('submitted', this.last, 'submit');
    return this;
  }

  refuse(at: Date): this {
    if (!this.happens(at)) return this;
    this.move('refused', at, 'refuse');
    return this;
  }

  /** Accepted at the desk: the code, the due date, the receipt; a paper dossier's transfer step. */
  receive(at: Date): this {
    if (!this.happens(at)) return this;
    const { cal, rules } = this.ctx;
    const d = this.out.dossier;
    const day = vnDate(at);
    d.code = dossierCode(d.receiving_agency_code, at, this.ctx.nextSerial(d.receiving_agency_code, day));
    d.received_at = at;
    this.due = this.legal = this.original = dueDateFor(cal, at, this.processingTime, rules);
    const p = this.procedure.row;
    this.push(
      'dossier.received',
      {
        ...this.dossierRef(),
        procedureVersion: d.procedure_version,
        homeService: d.home_service ?? false,
        submittedAt: (d.submitted_at as Date).toISOString(),
        receivedAt: at.toISOString(),
        dueAt: this.due.toISOString(),
        feesDue: d.fees_due ?? 0,
        components: this.compSummary,
        ruleSetId: this.ctx.ruleSetId,
        authorityLevel: p.authority_level as EventPayload<'dossier.received'>['authorityLevel'],
        onlineLevel: p.online_level,
        legacyLevel: p.legacy_level,
        feeBearing: p.fee_bearing,
        resultIsPaper: p.result_is_paper,
        processingTime: this.processingTime,
        populationDataUsed: d.population_data_used ?? false,
        originalDueAt: this.original.toISOString(),
      },
      at,
    );
    this.move('received', at, this.status === 'submitted' ? 'accept' : 'receive', false);
    if (d.channel !== 'online')
      this.out.steps.push({
        dossier_id: d.id,
        seq: 1,
        agency_code: d.receiving_agency_code,
        unit: null,
        officer: null,
        task: PAPER_TRANSFER_TASK,
        mode: 'internal',
        assigned_at: at,
        due_at: paperTransferDue(cal, at, rules),
        completed_at: null,
        outcome: null,
        completed_by: null,
        note: null,
      });
    return this;
  }

  /** The desk hands it to the processing unit (the paper transfer step closes). */
  assign(): this {
    const at = this.ctx.rng.chance(0.7) ? minutes(this.last, this.ctx.rng.int(10, 180)) : this.nextAt(1, 1);
    if (!this.happens(at)) return this;
    this.move('processing', at, 'assign');
    const transfer = this.out.steps[0];
    if (transfer)
      Object.assign(transfer, {
        completed_at: at,
        outcome: 'handed_over',
        completed_by: 'officer.generated',
      });
    return this;
  }

  pay(at: Date, online: boolean): this {
    const d = this.out.dossier;
    const amount = d.fees_due ?? 0;
    if (amount <= 0 || !this.happens(at)) return this;
    const paymentId = this.ctx.rng.uuid();
    const method = online ? 'national_portal' : d.channel === 'postal' ? 'postal' : 'cash';
    this.push(
      'dossier.paid',
      { ...this.dossierRef(), paymentId, amount, method, online, paidAt: at.toISOString() },
      at,
    );
    this.out.payments.push({
      id: paymentId,
      dossier_id: d.id,
      amount,
      method,
      online,
      receipt_number: `BL-${paymentId.slice(0, 8).toUpperCase()}`,
      paid_at: at,
      recorded_by: online ? 'portal' : 'officer.generated',
    });
    if (this.status !== 'awaiting_payment') {
      this.record('record_payment', at, this.status, this.status as DossierStatus);
      return this;
    }
    // Waiting for the payment stopped the clock (rule set paymentWait: pause): both dates move.
    if (this.ctx.rules.paymentWait === 'pause' && this.waitingSince) {
      const waited = this.ctx.cal.countWorkingDays(this.waitingSince, at);
      this.due = this.shift(this.due, waited);
      this.legal = this.shift(this.legal, waited);
    }
    this.waitingSince = null;
    this.move('processing', at, 'record_payment', false);
    return this;
  }

  private shift(at: Date | null, workingDays: number): Date | null {
    if (at === null) return null;
    const from = vnDate(at);
    const days = toDayNumber(this.ctx.cal.addWorkingDays(from, workingDays)) - toDayNumber(from);
    return new Date(at.getTime() + days * 86_400_000);
  }

  requestPayment(): this {
    if ((this.out.dossier.fees_due ?? 0) <= 0) return this;
    const at = this.nextAt(1, 3);
    if (!this.happens(at)) return this;
    this.waitingSince = at;
    this.move('awaiting_payment', at, 'request_payment');
    return this;
  }

  requestSupplement(): this {
    const at = this.nextAt(0, 3);
    if (!this.happens(at)) return this;
    const d = this.out.dossier;
    const within = supplementWithinWindow(this.ctx.cal, d.received_at as Date, at, this.ctx.rules);
    this.waitingSince = at;
    this.push(
      'dossier.supplement_requested',
      {
        ...this.dossierRef(),
        requestedAt: at.toISOString(),
        reason: 'Thiếu bản sao chứng thực',
        items: ['Bản sao chứng thực'],
        withinLegalWindow: within,
        dueAtBefore: this.due?.toISOString() ?? null,
      },
      at,
    );
    this.move('awaiting_supplement', at, 'request_supplement', false);
    this.out.supplements.push({
      dossier_id: d.id,
      requested_at: at,
      reason: 'Thiếu bản sao chứng thực',
      items: JSON.stringify(['Bản sao chứng thực']),
      within_legal_window: within,
      due_at_before: this.due,
      completed_at: null,
      due_at_after: null,
    });
    d.supplement_count = (d.supplement_count ?? 0) + 1;
    return this;
  }

  /** The applicant completes it: the clock restarts from zero (rule set restartClockAfterSupplement). */
  completeSupplement(): this {
    const at = this.nextAt(1, 6);
    if (!this.happens(at)) return this;
    const waited = this.waitingSince ? this.ctx.cal.countWorkingDays(this.waitingSince, at) : 0;
    if (this.ctx.rules.restartClockAfterSupplement) {
      this.due = this.legal = dueDateFor(this.ctx.cal, at, this.processingTime, this.ctx.rules);
    } else {
      this.due = this.shift(this.due, waited);
      this.legal = this.shift(this.legal, waited);
    }
    this.waitingSince = null;
    this.push(
      'dossier.supplement_completed',
      {
        ...this.dossierRef(),
        completedAt: at.toISOString(),
        dueAt: this.due?.toISOString() ?? null,
        legalDueAt: this.legal?.toISOString() ?? null,
        waitedWorkingDays: waited,
      },
      at,
    );
    this.move('processing', at, 'complete_supplement', false);
    const s = this.out.supplements[this.out.supplements.length - 1];
    if (s) Object.assign(s, { completed_at: at, due_at_after: this.due });
    return this;
  }

  /** An apology with a new date, a working day or two before the due date; judged by the old one. */
  reschedule(): this {
    if (!this.legal || !this.due) return this;
    const at = this.workingDay(this.due, -this.ctx.rng.int(1, 2));
    if (at <= this.last || !this.happens(at)) return this;
    const newDue = this.shift(this.due, this.ctx.rng.int(3, 10)) as Date;
    this.push(
      'dossier.rescheduled',
      {
        ...this.dossierRef(),
        at: at.toISOString(),
        reason: 'Cần thẩm định thực tế tại cơ sở',
        originalDueAt: this.legal.toISOString(),
        newDueAt: newDue.toISOString(),
      },
      at,
    );
    this.record('reschedule', at, this.status, this.status as DossierStatus);
    this.due = newDue;
    this.out.dossier.reschedule_count = (this.out.dossier.reschedule_count ?? 0) + 1;
    return this;
  }

  /** The participants of an inter-agency procedure, each with its step and deadline, done by `by`. */
  interAgencySteps(by: Date): this {
    const ia = this.procedure.interAgency;
    if (!ia) return this;
    const d = this.out.dossier;
    let start = this.last;
    const order = [...ia.participants].sort((a, b) => a.order - b.order);
    order.forEach((part, i) => {
      const assigned = ia.mode === 'parallel' ? this.last : start;
      const share = (by.getTime() - this.last.getTime()) / (ia.mode === 'parallel' ? 1 : order.length);
      const done = new Date(assigned.getTime() + (share * this.ctx.rng.int(60, 100)) / 100);
      const completed = done <= this.ctx.now && done <= by ? done : null;
      this.out.steps.push({
        dossier_id: d.id,
        seq: this.out.steps.length + 1,
        agency_code: part.agencyCode,
        unit: null,
        officer: null,
        task: part.task || `Bước ${i + 1}`,
        mode: ia.mode,
        assigned_at: assigned,
        due_at: dueDateFor(this.ctx.cal, assigned, part.processingTime, this.ctx.rules),
        completed_at: completed,
        outcome: completed ? 'completed' : null,
        completed_by: completed ? 'officer.generated' : null,
        note: null,
      });
      if (ia.mode === 'sequential') start = completed ?? start;
    });
    return this;
  }

  /** A resolution day drawn around the legal due date: early, on time or late. */
  resolutionTime(kind: 'early' | 'on_time' | 'late'): Date {
    const { cal, rng } = this.ctx;
    const dueDay = vnDate(this.legal ?? this.last);
    const lastDay = vnDate(this.last);
    let day: string;
    if (kind === 'late') day = cal.addWorkingDays(dueDay, rng.int(1, 15));
    else if (kind === 'on_time') day = dueDay;
    else {
      const room = cal.countWorkingDays(this.last, this.legal ?? this.last);
      day = room >= 1 ? cal.addWorkingDays(dueDay, -rng.int(1, room)) : dueDay;
    }
    if (day < lastDay) day = lastDay;
    const at = vnInstant(day, officeMinute(rng));
    return at > this.last ? at : minutes(this.last, rng.int(5, 60));
  }

  resolve(at: Date, eResult: boolean, resultDigitized: boolean): this {
    if (!this.happens(at)) return this;
    const verdict = judge(at, this.legal, 'resolved');
    this.push(
      'dossier.resolved',
      {
        ...this.dossierRef(),
        resolvedAt: at.toISOString(),
        judgedDueAt: this.legal?.toISOString() ?? null,
        timeliness: verdict,
        eResult,
        resultDigitized,
      },
      at,
    );
    this.move('resolved', at, 'resolve', false);
    Object.assign(this.out.dossier, {
      ended_at: at,
      timeliness: verdict,
      result: JSON.stringify({
        eResult,
        resultDigitized,
        resultNumber: `${this.ctx.rng.int(1, 9999)}/GP-SYT`,
      }),
    });
    for (const s of this.out.steps)
      if (s.completed_at === null) Object.assign(s, { completed_at: at, outcome: 'closed' });
    return this;
  }

  giveBack(method: 'desk' | 'post' | 'online'): this {
    const at = this.nextAt(0, 4);
    if (!this.happens(at)) return this;
    const trackingNumber = method === 'post' ? `EB${this.ctx.rng.int(100_000_000, 999_999_999)}VN` : null;
    this.push(
      'dossier.returned',
      { ...this.dossierRef(), returnedAt: at.toISOString(), method, trackingNumber },
      at,
    );
    this.move('returned', at, 'return', false);
    this.out.dossier.return_info = JSON.stringify({
      method,
      ...(trackingNumber ? { trackingNumber } : {}),
      returnedAt: at.toISOString(),
    });
    return this;
  }

  /** Withdrawn by the applicant or stopped: ended, in the on-time column whatever the date. */
  end(kind: 'withdrawn' | 'stopped'): this {
    const at = this.nextAt(1, 8);
    if (!this.happens(at)) return this;
    this.waitingSince = null;
    this.move(kind, at, kind === 'withdrawn' ? 'withdraw' : 'stop', true, 'on_time');
    Object.assign(this.out.dossier, { ended_at: at, timeliness: judge(at, this.legal, kind) });
    for (const s of this.out.steps)
      if (s.completed_at === null) Object.assign(s, { completed_at: at, outcome: 'closed' });
    return this;
  }

  rate(rating: 'satisfied' | 'normal' | 'not_satisfied'): this {
    const at = this.nextAt(0, 3);
    if (!this.happens(at)) return this;
    this.push('dossier.rated', { ...this.dossierRef(), rating, ratedAt: at.toISOString() }, at);
    this.out.rating = { dossier_id: this.out.dossier.id, rating, comment: null, rated_at: at };
    return this;
  }

  /** Closes the story: intake's row as it stands at now. */
  finish(): GeneratedDossier {
    Object.assign(this.out.dossier, {
      status: this.status ?? 'submitted',
      due_at: this.due,
      original_due_at: this.original,
      legal_due_at: this.legal,
      waiting_since: this.waitingSince,
      version: this.version,
      updated_at: this.last,
    });
    return this.out;
  }

  get isCut(): boolean {
    return this.cut;
  }

  get lastAt(): Date {
    return this.last;
  }
}
