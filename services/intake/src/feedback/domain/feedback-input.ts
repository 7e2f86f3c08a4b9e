import { z } from 'zod';
import { nfc, Phone } from '../../domain/dossier-input';

const AgencyCode = z
  .string()
  .regex(/^[A-Z0-9]+(\.[A-Z0-9]+)*$/, 'agency code: groups of A-Z 0-9 separated by dots')
  .max(35);
const ProcedureCode = z.string().regex(/^\d\.\d{6}$/, 'procedure code: a digit, a dot and six digits');

/**
 * Who sent the feedback and how to reach them. Feedback must name its sender and a way to answer
 * (Nghị định 20/2008/NĐ-CP): an anonymous one is not handled. Personal data: never logged.
 */
export const FeedbackSender = z
  .object({
    name: nfc(200),
    phone: Phone.optional(),
    email: z.email().max(254).optional(),
    address: nfc(500).optional(),
  })
  .refine((s) => s.phone !== undefined || s.email !== undefined || s.address !== undefined, {
    message: 'a way to answer the sender: phone, email or address',
  });
export type FeedbackSender = z.infer<typeof FeedbackSender>;

export const ReceiveFeedback = z
  .object({
    /** regulation: on the procedure itself; handling: on how a dossier was handled. */
    kind: z.enum(['regulation', 'handling']),
    procedureCode: ProcedureCode.optional(),
    dossierCode: z.string().min(1).max(80).optional(),
    /** The agency that must answer; by default the dossier's (handling) or the procedure's deciding agency. */
    agencyCode: AgencyCode.optional(),
    sender: FeedbackSender,
    content: nfc(10_000),
  })
  .superRefine((f, ctx) => {
    if (f.kind === 'handling' && f.dossierCode === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dossierCode'],
        message: 'feedback on handling names the dossier',
      });
    }
    if (f.kind === 'regulation' && f.procedureCode === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['procedureCode'],
        message: 'feedback on a regulation names the procedure',
      });
    }
  });
export type ReceiveFeedback = z.infer<typeof ReceiveFeedback>;

export const AssignFeedback = z.object({ unit: nfc(200), officer: nfc(200).optional() });
export type AssignFeedback = z.infer<typeof AssignFeedback>;

export const AnswerFeedback = z.object({ answer: nfc(20_000) });
export type AnswerFeedback = z.infer<typeof AnswerFeedback>;

export const RateFeedback = z.object({
  satisfaction: z.enum(['satisfied', 'normal', 'not_satisfied']),
  comment: nfc(2000).optional(),
});
export type RateFeedback = z.infer<typeof RateFeedback>;
