import { isDueToday, isOverdueNow } from '@tthc/calendar';
import { z } from 'zod';
import { mask } from '../../access';
import type { FeedbackRow } from '../db/feedback.repository';
import { FEEDBACK_STATUS_LABELS, feedbackActionsFrom, OPEN_FEEDBACK } from '../domain/feedback';
import { etagOf } from '../../routes/dossier.schemas';

const instant = z.iso.datetime({ offset: true });

export const FeedbackStatus = z.enum(['received', 'assigned', 'answered', 'closed']);

const summaryFields = {
  id: z.uuid(),
  code: z.string(),
  kind: z.enum(['regulation', 'handling']),
  status: FeedbackStatus,
  statusLabel: z.string(),
  procedureCode: z.string(),
  dossierCode: z.string().nullable(),
  agencyCode: z.string(),
  receivedAt: instant,
  dueAt: instant,
  assignedUnit: z.string().nullable(),
  assignedOfficer: z.string().nullable(),
  answeredAt: instant.nullable(),
  timeliness: z.enum(['early', 'on_time', 'late']).nullable(),
  satisfaction: z.enum(['satisfied', 'normal', 'not_satisfied']).nullable(),
  /** Judged now: overdue when still unanswered and the due date is before today; due today is a warning. */
  overdue: z.boolean(),
  dueToday: z.boolean(),
  version: z.number().int(),
};

const example = {
  id: '8a1c2e4f-5b6d-4c7e-9f80-1a2b3c4d5e6f',
  code: 'PAKN-261127-0001',
  kind: 'handling',
  status: 'received',
  statusLabel: 'Đã tiếp nhận',
  procedureCode: '1.004579',
  dossierCode: '000.20.17.H55-261123-0001',
  agencyCode: '000.00.17.H55',
  receivedAt: '2026-11-27T02:00:00.000Z',
  dueAt: '2026-12-11T10:00:00.000Z',
  assignedUnit: null,
  assignedOfficer: null,
  answeredAt: null,
  timeliness: null,
  satisfaction: null,
  overdue: false,
  dueToday: false,
  version: 1,
};

/** The list shows no personal data of the sender. */
export const FeedbackSummary = z.object(summaryFields).meta({ id: 'FeedbackSummary', examples: [example] });

export const Feedback = z
  .object({
    ...summaryFields,
    sender: z.object({
      name: z.string(),
      phone: z.string().optional(),
      email: z.string().optional(),
      address: z.string().optional(),
    }),
    content: z.string(),
    assignedAt: instant.nullable(),
    answer: z.string().nullable(),
    answeredBy: z.string().nullable(),
    ratingComment: z.string().nullable(),
    ratedAt: instant.nullable(),
    ruleSetId: z.string(),
    allowedActions: z.array(z.string()),
    etag: z.string(),
  })
  .meta({
    id: 'Feedback',
    'x-etag': true,
    examples: [
      {
        ...example,
        sender: { name: 'Trần Thị Bình', phone: '0912345678' },
        content: 'Hồ sơ của tôi đã quá hạn hẹn trả nhưng chưa được thông báo lý do.',
        assignedAt: null,
        answer: null,
        answeredBy: null,
        ratingComment: null,
        ratedAt: null,
        ruleSetId: 'ND118-2025',
        allowedActions: ['assign'],
        etag: '"1"',
      },
    ],
  });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toFeedbackSummary(f: FeedbackRow, now: Date) {
  const open = OPEN_FEEDBACK.includes(f.status);
  return {
    id: f.id,
    code: f.code,
    kind: f.kind,
    status: f.status,
    statusLabel: FEEDBACK_STATUS_LABELS[f.status],
    procedureCode: f.procedure_code,
    dossierCode: f.dossier_code,
    agencyCode: f.agency_code,
    receivedAt: f.received_at.toISOString(),
    dueAt: f.due_at.toISOString(),
    assignedUnit: f.assigned_unit,
    assignedOfficer: f.assigned_officer,
    answeredAt: iso(f.answered_at),
    timeliness: f.timeliness,
    satisfaction: f.satisfaction,
    overdue: open && isOverdueNow(f.due_at, now),
    dueToday: open && isDueToday(f.due_at, now),
    version: f.version,
  };
}

/** A feedback; the sender's contact details in full only for its handlers (each such read is logged), masked otherwise. */
export function toFeedback(f: FeedbackRow, now: Date, personal = true) {
  const sender = f.sender as z.infer<typeof Feedback>['sender'];
  return {
    ...toFeedbackSummary(f, now),
    sender: personal
      ? sender
      : {
          ...Object.fromEntries(
            Object.entries(sender).map(([k, v]) => [k, typeof v === 'string' ? mask(v) : v]),
          ),
          name: sender.name,
        },
    content: f.content,
    assignedAt: iso(f.assigned_at),
    answer: f.answer,
    answeredBy: f.answered_by,
    ratingComment: f.rating_comment,
    ratedAt: iso(f.rated_at),
    ruleSetId: f.rule_set_id,
    allowedActions: feedbackActionsFrom(f.status),
    etag: etagOf(f.version),
  };
}
