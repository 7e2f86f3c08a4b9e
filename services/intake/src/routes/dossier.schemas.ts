import { Channel, DossierStatus, ProcessingTime } from '@tthc/contracts';
import { z } from 'zod';
import type { DossierListRow, DossierRow } from '../db/dossier.repository';
import { mask } from '../access';
import type { PaymentRow, RatingRow, StepRow, SupplementRow } from '../db/facts.repository';
import { judgeStep } from '../domain/deadline';
import { dueToday, overdueNow } from '../domain/dossier-clock';
import { allowedFrom, STATUS_CODES } from '../domain/lifecycle';

const instant = z.iso.datetime({ offset: true });

export const STATUS_LABELS: Record<z.infer<typeof DossierStatus>, string> = {
  submitted: 'Mới đăng ký',
  received: 'Được tiếp nhận',
  refused: 'Không được tiếp nhận',
  processing: 'Đang xử lý',
  awaiting_supplement: 'Yêu cầu bổ sung giấy tờ',
  awaiting_payment: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  withdrawn: 'Công dân yêu cầu rút hồ sơ',
  stopped: 'Dừng xử lý',
  resolved: 'Đã xử lý xong',
  returned: 'Đã trả kết quả',
};

const summaryFields = {
  id: z.uuid(),
  /** The dossier code; a portal submission shows its provisional reference until the desk accepts it. */
  code: z.string(),
  /** The provisional reference of a portal submission (P-YYMMDD-…), which still finds the dossier afterwards. */
  reference: z.string().nullable(),
  status: DossierStatus,
  statusCode: z.number().int().min(1).max(10),
  statusLabel: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  fieldCode: z.string(),
  agencyCode: z.string(),
  receivingAgencyCode: z.string(),
  channel: Channel,
  applicantName: z.string(),
  submittedAt: instant,
  receivedAt: instant.nullable(),
  dueAt: instant.nullable(),
  endedAt: instant.nullable(),
  timeliness: z.enum(['early', 'on_time', 'late']).nullable(),
  currentUnit: z.string().nullable(),
  currentOfficer: z.string().nullable(),
  /** Judged now: overdue when the due date is before today; due today is a warning. */
  overdue: z.boolean(),
  dueToday: z.boolean(),
  version: z.number().int(),
};

const example = {
  id: '5d0f0c3e-8a53-4a39-8f0e-0c8d7f1b2a11',
  code: '000.20.17.H55-261123-0001',
  reference: null,
  status: 'received',
  statusCode: 2,
  statusLabel: 'Được tiếp nhận',
  procedureCode: '1.004579',
  procedureName: 'Cấp chứng chỉ hành nghề dược',
  fieldCode: 'DUOC_PHAM',
  agencyCode: '000.00.17.H55',
  receivingAgencyCode: '000.20.17.H55',
  channel: 'direct',
  applicantName: 'Nguyễn Văn An',
  submittedAt: '2026-11-23T02:15:00.000Z',
  receivedAt: '2026-11-23T02:15:00.000Z',
  dueAt: '2026-12-14T10:00:00.000Z',
  endedAt: null,
  timeliness: null,
  currentUnit: null,
  currentOfficer: null,
  overdue: false,
  dueToday: false,
  version: 1,
};

export const DossierSummary = z.object(summaryFields).meta({ id: 'DossierSummary', examples: [example] });

export const Dossier = z
  .object({
    ...summaryFields,
    procedureVersion: z.number().int(),
    homeService: z.boolean(),
    /** The applicant's identity data came from the national population database (VNeID). */
    populationDataUsed: z.boolean(),
    case: z.string().nullable(),
    applicant: z.object({
      kind: z.enum(['person', 'organisation']),
      fullName: z.string(),
      idNumber: z.string().optional(),
      phone: z.string().optional(),
      email: z.string().optional(),
      address: z.string().optional(),
      organisationName: z.string().optional(),
      taxCode: z.string().optional(),
    }),
    components: z.array(
      z.object({
        name: z.string(),
        originals: z.number().int(),
        copies: z.number().int(),
        digitized: z.boolean(),
        reused: z.boolean(),
        fromCitizenStore: z.boolean(),
      }),
    ),
    feesDue: z.number().int(),
    processingTime: ProcessingTime,
    ruleSetId: z.string(),
    originalDueAt: instant.nullable(),
    supplementCount: z.number().int(),
    rescheduleCount: z.number().int(),
    result: z.record(z.string(), z.unknown()).nullable(),
    returnInfo: z.record(z.string(), z.unknown()).nullable(),
    allowedActions: z.array(z.string()),
    etag: z.string(),
  })
  .meta({
    id: 'Dossier',
    'x-etag': true,
    examples: [
      {
        ...example,
        procedureVersion: 1,
        homeService: false,
        populationDataUsed: true,
        case: null,
        applicant: {
          kind: 'person',
          fullName: 'Nguyễn Văn An',
          idNumber: '001085012345',
          phone: '0912345678',
        },
        components: [
          {
            name: 'Đơn đề nghị',
            originals: 1,
            copies: 0,
            digitized: true,
            reused: false,
            fromCitizenStore: false,
          },
        ],
        feesDue: 500000,
        processingTime: { value: 15, unit: 'working_days' },
        ruleSetId: 'ND118-2025',
        originalDueAt: '2026-12-14T10:00:00.000Z',
        supplementCount: 0,
        rescheduleCount: 0,
        result: null,
        returnInfo: null,
        allowedActions: ['assign', 'request_supplement', 'resolve', 'withdraw', 'stop'],
        etag: '"1"',
      },
    ],
  });

export { etagOf, parseIfMatch } from '@tthc/service-kit';
import { etagOf } from '@tthc/service-kit';

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function toSummary(d: DossierListRow, now: Date) {
  return {
    id: d.id,
    code: d.code,
    reference: d.reference,
    status: d.status,
    statusCode: STATUS_CODES[d.status],
    statusLabel: STATUS_LABELS[d.status],
    procedureCode: d.procedure_code,
    procedureName: d.procedure_name,
    fieldCode: d.field_code,
    agencyCode: d.agency_code,
    receivingAgencyCode: d.receiving_agency_code,
    channel: d.channel,
    applicantName: d.applicant_name,
    submittedAt: d.submitted_at.toISOString(),
    receivedAt: isoOrNull(d.received_at),
    dueAt: isoOrNull(d.due_at),
    endedAt: isoOrNull(d.ended_at),
    timeliness: d.timeliness,
    currentUnit: d.current_unit,
    currentOfficer: d.current_officer,
    // The desk's view of the clock (domain/dossier-clock.ts): against the current appointment.
    overdue: overdueNow(d, now),
    dueToday: dueToday(d, now),
    version: d.version,
  };
}

/** A step of the processing: who holds it, its deadline, how and when it ended, judged. */
export const DossierStep = z
  .object({
    seq: z.number().int(),
    agencyCode: z.string(),
    unit: z.string().nullable(),
    officer: z.string().nullable(),
    task: z.string(),
    mode: z.enum(['sequential', 'parallel', 'internal']),
    assignedAt: instant,
    dueAt: instant.nullable(),
    completedAt: instant.nullable(),
    outcome: z.enum(['handed_over', 'completed', 'returned', 'closed']).nullable(),
    completedBy: z.string().nullable(),
    note: z.string().nullable(),
    /** Open, and its deadline was before today. */
    lateNow: z.boolean(),
    /** Ended: early / on time / late against its own deadline (dates in Việt Nam). */
    timeliness: z.enum(['early', 'on_time', 'late']).nullable(),
  })
  .meta({
    id: 'DossierStep',
    examples: [
      {
        seq: 1,
        agencyCode: '000.00.17.H55',
        unit: 'Phòng Tổ chức cán bộ',
        officer: 'chuyenvien.tccb',
        task: 'Tiếp nhận, lựa chọn người đủ tiêu chuẩn, lập hồ sơ đề nghị bổ nhiệm',
        mode: 'sequential',
        assignedAt: '2026-11-23T02:15:00.000Z',
        dueAt: '2026-12-07T10:00:00.000Z',
        completedAt: '2026-12-03T08:00:00.000Z',
        outcome: 'handed_over',
        completedBy: 'officer:chuyenvien.tccb',
        note: null,
        lateNow: false,
        timeliness: 'early',
      },
    ],
  });

export function toStep(s: StepRow, now: Date): z.infer<typeof DossierStep> {
  return {
    seq: s.seq,
    agencyCode: s.agency_code,
    unit: s.unit,
    officer: s.officer,
    task: s.task,
    mode: s.mode,
    assignedAt: s.assigned_at.toISOString(),
    dueAt: isoOrNull(s.due_at),
    completedAt: isoOrNull(s.completed_at),
    outcome: s.outcome,
    completedBy: s.completed_by,
    note: s.note,
    ...judgeStep(s, now),
  };
}

export function toDossier(d: DossierRow, now: Date, personal = true) {
  const contact = d.applicant_contact as Record<string, string>;
  return {
    ...toSummary(d, now),
    procedureVersion: d.procedure_version,
    homeService: d.home_service,
    populationDataUsed: d.population_data_used,
    case: d.case_name,
    applicant: {
      kind: d.applicant_kind,
      fullName: d.applicant_name,
      ...(personal ? contact : Object.fromEntries(Object.entries(contact).map(([k, v]) => [k, mask(v)]))),
    },
    components: d.components as z.infer<typeof Dossier>['components'],
    feesDue: d.fees_due,
    processingTime: d.processing_time as z.infer<typeof ProcessingTime>,
    ruleSetId: d.rule_set_id,
    originalDueAt: isoOrNull(d.original_due_at),
    supplementCount: d.supplement_count,
    rescheduleCount: d.reschedule_count,
    result: (d.result as Record<string, unknown> | null) ?? null,
    returnInfo: (d.return_info as Record<string, unknown> | null) ?? null,
    allowedActions: allowedFrom(d.status),
    etag: etagOf(d.version),
  };
}

/** A dossier as its handlers read it: with its steps, supplements, payments and rating. */
export const DossierDetail = Dossier.extend({
  steps: z.array(DossierStep),
  supplements: z.array(
    z.object({
      requestedAt: instant,
      reason: z.string(),
      items: z.array(z.string()),
      withinLegalWindow: z.boolean(),
      dueAtBefore: instant.nullable(),
      completedAt: instant.nullable(),
      dueAtAfter: instant.nullable(),
    }),
  ),
  payments: z.array(
    z.object({
      id: z.uuid(),
      amount: z.number().int(),
      method: z.string(),
      online: z.boolean(),
      receiptNumber: z.string().nullable(),
      paidAt: instant,
    }),
  ),
  rating: z.object({ rating: z.string(), comment: z.string().nullable(), ratedAt: instant }).nullable(),
});

export function toDossierDetail(
  facts: {
    d: DossierRow;
    steps: StepRow[];
    supplements: SupplementRow[];
    payments: PaymentRow[];
    rating: RatingRow | undefined;
  },
  now: Date,
  personal: boolean,
): z.infer<typeof DossierDetail> {
  const { d, steps, supplements, payments, rating } = facts;
  return {
    ...toDossier(d, now, personal),
    steps: steps.map((s) => toStep(s, now)),
    supplements: supplements.map((s) => ({
      requestedAt: s.requested_at.toISOString(),
      reason: s.reason,
      items: s.items as string[],
      withinLegalWindow: s.within_legal_window,
      dueAtBefore: isoOrNull(s.due_at_before),
      completedAt: isoOrNull(s.completed_at),
      dueAtAfter: isoOrNull(s.due_at_after),
    })),
    payments: payments.map((p) => ({
      id: p.id,
      amount: p.amount,
      method: p.method,
      online: p.online,
      receiptNumber: p.receipt_number,
      paidAt: p.paid_at.toISOString(),
    })),
    rating: rating
      ? { rating: rating.rating, comment: rating.comment, ratedAt: rating.rated_at.toISOString() }
      : null,
  };
}
