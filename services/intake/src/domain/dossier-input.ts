import { Channel, type DossierComponent } from '@tthc/contracts';
import { z } from 'zod';

/** NFC, trimmed, bounded: text typed on a Mac or pasted from a PDF often arrives decomposed. */
export const nfc = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

/** Vietnamese numbers: 0 or +84, then 9–10 digits (spaces, dots and dashes are tolerated). */
export const Phone = z
  .string()
  .max(20)
  .transform((s) => s.replace(/[\s.-]/g, ''))
  .pipe(z.string().regex(/^(0|\+84)\d{9,10}$/, 'phone: a Vietnamese number, 0 or +84 then 9-10 digits'));

/** CCCD (12 digits) or the older CMND (9 digits). */
export const IdNumber = z
  .string()
  .regex(/^(\d{9}|\d{12})$/, 'ID number: 12 digits (CCCD) or 9 digits (CMND)');

export const Applicant = z.object({
  kind: z.enum(['person', 'organisation']),
  fullName: nfc(200),
  idNumber: IdNumber.optional(),
  phone: Phone.optional(),
  email: z.email().max(254).optional(),
  address: nfc(500).optional(),
  organisationName: nfc(500).optional(),
  taxCode: z
    .string()
    .regex(/^\d{10}(-\d{3})?$/, 'tax code: 10 digits, optionally -3 digits')
    .optional(),
});
export type Applicant = z.infer<typeof Applicant>;

export const SubmittedComponent = z.object({
  name: nfc(2000),
  originals: z.number().int().min(0).max(100).default(1),
  copies: z.number().int().min(0).max(100).default(0),
  digitized: z.boolean().default(false),
  reused: z.boolean().default(false),
  fromCitizenStore: z.boolean().default(false),
});
export type SubmittedComponent = z.infer<typeof SubmittedComponent>;

export const ReceiveDossier = z
  .object({
    procedureCode: z.string().regex(/^\d\.\d{6}$/, 'procedure code: a digit, a dot and six digits'),
    /** portal: filed online, awaiting acceptance (status 1); desk: received at the counter (status 2). */
    source: z.enum(['portal', 'desk']).default('desk'),
    channel: Channel,
    homeService: z.boolean().default(false),
    /** The variant of the procedure (a component group), when it has several. */
    case: nfc(500).nullable().default(null),
    applicant: Applicant,
    components: z.array(SubmittedComponent).max(200).default([]),
    feesDue: z.number().int().min(0).max(1_000_000_000_000).optional(),
    /** Postal receipts count from the hand-over record signed with the postal worker. */
    handedOverAt: z.iso.datetime({ offset: true }).optional(),
    /**
     * The applicant's identity data was taken from the national population database (VNeID)
     * instead of typed from papers: an indicator of the 766 set counts it.
     */
    populationDataUsed: z.boolean().default(false),
    /**
     * A submission from the national or the provincial portal names itself: the portal and its own
     * id of the dossier. A second POST with the same pair returns the dossier the first made (200)
     * and creates nothing, however often the portal retries.
     */
    sourcePortal: z.enum(['national', 'provincial']).optional(),
    externalId: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\x21-\x7e]+$/, 'external id: printable ASCII without spaces')
      .optional(),
  })
  .superRefine((d, ctx) => {
    if ((d.externalId === undefined) !== (d.sourcePortal === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [d.externalId === undefined ? 'externalId' : 'sourcePortal'],
        message: 'externalId and sourcePortal go together',
      });
  });
export type ReceiveDossier = z.infer<typeof ReceiveDossier>;

const key = (s: string) => s.normalize('NFC').trim().toLowerCase();

/** The components a case requires (those of every case plus the case's own) that were not submitted. */
export function missingComponents(
  required: DossierComponent[],
  chosenCase: string | null,
  submitted: SubmittedComponent[],
): string[] {
  const have = new Set(submitted.map((c) => key(c.name)));
  return required
    .filter((c) => c.case === null || (chosenCase !== null && key(c.case) === key(chosenCase)))
    .filter((c) => !have.has(key(c.name)))
    .map((c) => c.name);
}

/** Phone numbers compare in one form: 0xxxxxxxxx. */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/[\s.-]/g, '');
  return digits.startsWith('+84') ? `0${digits.slice(3)}` : digits;
}
