import { createHash } from 'node:crypto';
import {
  AgencyCode,
  AuthorityLevel,
  DossierComponent,
  InterAgency,
  OnlineLevel,
  ProcedureMethod,
} from '@tthc/contracts';
import { z } from 'zod';

/** NFC everywhere: text typed on a Mac or copied from a PDF often arrives decomposed (NFD). */
export const VnText = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

/** National procedure code: a digit, a dot, six digits (e.g. 1.004579); never derive meaning from the digit. */
export const NationalCode = z
  .string()
  .regex(/^\d\.\d{6}$/, 'procedure code: a digit, a dot and six digits (e.g. 1.004579)')
  .meta({ example: '1.004579' });

export const FieldCode = z
  .string()
  .regex(/^[A-Z0-9_]{1,30}$/, 'field code: 1-30 characters of A-Z, 0-9 and _')
  .meta({ example: 'DUOC_PHAM' });

const isoDate = z.iso.date();

export const LegalBasis = z.object({
  number: VnText(100),
  title: VnText(1000),
  issuedOn: isoDate.nullable(),
  effectiveFrom: isoDate.nullable(),
});

const nfcComponent = DossierComponent.extend({
  case: VnText(500).nullable(),
  name: VnText(2000),
  formTemplate: VnText(500).nullable(),
});

const nfcMethod = ProcedureMethod.extend({
  fees: z.array(z.object({ name: VnText(500), amount: ProcedureMethod.shape.fees.element.shape.amount })).max(50),
  note: VnText(2000).nullable(),
});

/**
 * The content of a procedure record: the components Nghị định 63/2010 Art. 8.2 requires (name,
 * steps, methods, dossier components, processing time, applicants, deciding agency, result) and,
 * where they apply, forms, conditions, fees and legal basis.
 */
export const ProcedureContent = z
  .object({
    name: VnText(2000),
    fieldCode: FieldCode,
    decidingAgencyCode: AgencyCode,
    receivingAgencyCode: AgencyCode,
    authorityLevel: AuthorityLevel,
    steps: z.array(VnText(4000)).max(50),
    methods: z
      .array(nfcMethod)
      .min(1)
      .max(3)
      .refine((ms) => new Set(ms.map((m) => m.channel)).size === ms.length, 'methods: one entry per channel'),
    components: z.array(nfcComponent).max(200),
    conditions: z.array(VnText(4000)).max(100),
    result: z.object({ name: VnText(1000), isPaperDocument: z.boolean() }).nullable(),
    applicantTypes: z.array(z.enum(['person', 'organisation'])).max(2),
    legalBasis: z.array(LegalBasis).max(100),
    interAgency: InterAgency.nullable(),
    onlineLevel: OnlineLevel,
    legacyLevel: z.number().int().min(1).max(4).nullable(),
  })
  .refine((c) => c.onlineLevel === 'none' || c.methods.some((m) => m.channel === 'online'), {
    message: 'an online service level needs an online method',
    path: ['methods'],
  });
export type ProcedureContent = z.infer<typeof ProcedureContent>;

/** Decision numbers as provinces write them: `184/QĐ-UBND`, `12/2024/QĐ-UBND`, `1234/QĐ-SYT`. */
export const DecisionNumber = z
  .string()
  .transform((s) => s.normalize('NFC').trim())
  .pipe(z.string().regex(/^\d{1,6}(\/\d{4})?\/QĐ-[A-ZĐ0-9-]{2,20}$/u, 'decision number like 184/QĐ-UBND'))
  .meta({ example: '184/QĐ-UBND' });

export const Decision = z
  .object({
    decisionNumber: DecisionNumber,
    signedOn: isoDate,
    effectiveFrom: isoDate,
    /** When the record appeared on the national database (publication timeliness). */
    nationalPublishedOn: isoDate.nullable().default(null),
  })
  .refine((d) => d.effectiveFrom >= d.signedOn, { message: 'effectiveFrom is before signedOn', path: ['effectiveFrom'] })
  .refine((d) => d.nationalPublishedOn === null || d.nationalPublishedOn >= d.signedOn, {
    message: 'nationalPublishedOn is before signedOn',
    path: ['nationalPublishedOn'],
  });
export type Decision = z.infer<typeof Decision>;

/** A record is complete when every component Art. 8.2 always requires is present. */
export function isComplete(c: ProcedureContent): boolean {
  return (
    c.steps.length > 0 &&
    c.methods.length > 0 &&
    c.components.length > 0 &&
    c.applicantTypes.length > 0 &&
    c.result !== null &&
    c.legalBasis.length > 0
  );
}

export function isFeeBearing(c: ProcedureContent): boolean {
  return c.methods.some((m) => m.fees.some((f) => f.amount > 0));
}

/** Stable hash of the content, so a re-import of the same record changes nothing. */
export function contentHash(c: ProcedureContent): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(c))).digest('hex');
}

/** The local instance code: the national code with the province's agency code appended (2.000815.000.00.00.H55). */
export function localCode(code: string, rootAgencyCode: string): string {
  return `${code}.${rootAgencyCode}`;
}
