import { ProcessingTime } from '@tthc/contracts';
import { z } from 'zod';
import { nfc } from './dossier-input';

const instant = z.iso.datetime({ offset: true });

/** The body each lifecycle action takes (all validated before anything is written). */
export const ActionInputs = {
  accept: z.object({ note: nfc(2000).optional() }),
  refuse: z.object({ reason: nfc(2000) }),
  assign: z.object({
    unit: nfc(200),
    officer: nfc(200).optional(),
    /** Another agency, for a step of an inter-agency procedure. */
    agencyCode: z.string().max(35).optional(),
    /** Default: the task the procedure sets for that agency, else "Xử lý hồ sơ". */
    task: nfc(1000).optional(),
    mode: z.enum(['sequential', 'parallel', 'internal']).default('internal'),
    /** Default: the time the procedure sets for that agency's step, else the dossier's due date. */
    processingTime: ProcessingTime.optional(),
  }),
  complete_step: z.object({
    /** completed: the agency's part is done; returned: sent back to the agency that handed it over, for correction. */
    outcome: z.enum(['completed', 'returned']).default('completed'),
    note: nfc(2000).optional(),
  }),
  request_supplement: z.object({ reason: nfc(2000), items: z.array(nfc(1000)).min(1).max(50) }),
  complete_supplement: z.object({ note: nfc(2000).optional() }),
  request_payment: z.object({ amount: z.number().int().positive(), reason: nfc(1000) }),
  record_payment: z.object({
    amount: z.number().int().positive().max(1_000_000_000_000),
    method: z.enum(['cash', 'bank_transfer', 'card', 'e_wallet', 'postal', 'national_portal']),
    online: z.boolean(),
    receiptNumber: z.string().min(1).max(100).optional(),
    paidAt: instant.optional(),
  }),
  reschedule: z.object({ reason: nfc(2000), newDueAt: instant }),
  resolve: z.object({
    resultNumber: nfc(100).optional(),
    eResult: z.boolean().default(false),
    resultDigitized: z.boolean().default(false),
    /** Where the applicant downloads the e-result (shown on the national portal). */
    eResultUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    note: nfc(2000).optional(),
  }),
  return: z
    .object({
      method: z.enum(['desk', 'post', 'online']),
      trackingNumber: z.string().min(1).max(100).optional(),
    })
    .refine((r) => r.method !== 'post' || r.trackingNumber !== undefined, {
      message: 'a return by post needs its tracking number',
      path: ['trackingNumber'],
    }),
  withdraw: z.object({ reason: nfc(2000) }),
  stop: z.object({ reason: nfc(2000) }),
} as const;

export type ActionInput<A extends keyof typeof ActionInputs> = z.infer<(typeof ActionInputs)[A]>;
