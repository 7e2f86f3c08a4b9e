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

/**
 * Level 1–4 of the online public services of Nghị định 43/2011 (Art. 3.4): 1–2 only inform and
 * give forms, 3 lets the dossier be filed and processed online, 4 adds online payment and the
 * result online. Reports up to 2022 still count "mức độ 3, 4"; Nghị định 42/2022 replaced the
 * levels with `onlineLevel` (level 3 ≈ partial, level 4 ≈ full).
 */
export const LegacyLevel = z.number().int().min(1).max(4);

/**
 * The legacy level must agree with the channels and the current online level: a level 3 or 4
 * service is filed online, so it needs an online method; a level 4 service is carried out wholly
 * online, which is what Nghị định 42/2022 calls `full`. An online level other than none needs an
 * online method as well.
 */
export function classificationIssues(c: {
  methods: readonly { channel: string }[];
  onlineLevel: string;
  legacyLevel: number | null;
}): { path: string[]; message: string }[] {
  const online = c.methods.some((m) => m.channel === 'online');
  const issues: { path: string[]; message: string }[] = [];
  if (c.onlineLevel !== 'none' && !online)
    issues.push({ path: ['methods'], message: 'an online service level needs an online method' });
  if ((c.legacyLevel === 3 || c.legacyLevel === 4) && !online) {
    issues.push({
      path: ['legacyLevel'],
      message: `legacy level ${c.legacyLevel} (Nghị định 43/2011) needs an online method`,
    });
  }
  if (c.legacyLevel === 4 && c.onlineLevel !== 'full') {
    issues.push({
      path: ['legacyLevel'],
      message: `legacy level 4 is a wholly online service: onlineLevel must be full, not ${c.onlineLevel}`,
    });
  }
  return issues;
}

const nfcComponent = DossierComponent.extend({
  case: VnText(500).nullable(),
  name: VnText(2000),
  formTemplate: VnText(500).nullable(),
});

const nfcMethod = ProcedureMethod.extend({
  fees: z
    .array(z.object({ name: VnText(500), amount: ProcedureMethod.shape.fees.element.shape.amount }))
    .max(50),
  note: VnText(2000).nullable(),
});

/**
 * The content of a procedure record: the components Nghị định 63/2010 Art. 8.2 requires (see
 * REQUIRED_COMPONENTS below), the classification the indicators count (online level under Nghị
 * định 42/2022, legacy level under Nghị định 43/2011), and whether its fees can be paid online.
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
    legacyLevel: LegacyLevel.nullable(),
    /** Fees can be paid online (the online-payment indicators count fee-bearing procedures that offer it). */
    onlinePayment: z.boolean().default(false),
    /** The agency that published it on the national database (cơ quan công bố), when known. */
    publishingAgency: VnText(1000).optional(),
    /** Procedures the national record names as related (thủ tục liên quan). */
    relatedProcedures: z.array(NationalCode).max(100).optional(),
  })
  .superRefine((c, ctx) => {
    for (const issue of classificationIssues(c)) ctx.addIssue({ code: 'custom', ...issue });
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
  .refine((d) => d.effectiveFrom >= d.signedOn, {
    message: 'effectiveFrom is before signedOn',
    path: ['effectiveFrom'],
  })
  .refine((d) => d.nationalPublishedOn === null || d.nationalPublishedOn >= d.signedOn, {
    message: 'nationalPublishedOn is before signedOn',
    path: ['nationalPublishedOn'],
  });
export type Decision = z.infer<typeof Decision>;

/**
 * What a procedure record must hold to count as complete ("procedures with complete content",
 * Quyết định 766/QĐ-TTg), after Nghị định 63/2010 Art. 8.2 as amended by Nghị định 92/2017,
 * which lists the parts a procedure is made of. Required always, because every procedure has
 * them and a citizen cannot apply without knowing them:
 *  - its name, steps (trình tự thực hiện) and methods (cách thức thực hiện: the channels);
 *  - the dossier: its components with the number of originals and copies (thành phần, số lượng);
 *  - the processing time (thời hạn giải quyết), given per channel on each method;
 *  - who may apply (đối tượng thực hiện) and the agency that decides (cơ quan giải quyết);
 *  - the result (kết quả thực hiện), the document the applicant receives;
 *  - the legal basis (căn cứ pháp lý): a procedure exists only by the legal documents that set
 *    it, and the published record on the national database carries them.
 * Required only "where applicable" (trường hợp … phải có), so their absence never makes a record
 * incomplete: form templates (mẫu đơn, mẫu tờ khai), requirements and conditions (yêu cầu, điều
 * kiện), fees and charges (phí, lệ phí). ProcedureContent itself refuses a record without a
 * name, a method, a processing time per method or a deciding agency, so the list below checks the
 * required parts a valid record can still lack.
 */
export const REQUIRED_COMPONENTS: readonly {
  component: string;
  present: (c: ProcedureContent) => boolean;
}[] = [
  { component: 'steps', present: (c) => c.steps.length > 0 },
  { component: 'components', present: (c) => c.components.length > 0 },
  { component: 'applicantTypes', present: (c) => c.applicantTypes.length > 0 },
  { component: 'result', present: (c) => c.result !== null },
  { component: 'legalBasis', present: (c) => c.legalBasis.length > 0 },
];

/** The required components a record lacks, by content field name (empty: complete). */
export function missingComponents(c: ProcedureContent): string[] {
  return REQUIRED_COMPONENTS.filter((r) => !r.present(c)).map((r) => r.component);
}

/** A record is complete when it holds every component Art. 8.2 always requires. */
export function isComplete(c: ProcedureContent): boolean {
  return missingComponents(c).length === 0;
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
  return createHash('sha256')
    .update(JSON.stringify(canonical(c)))
    .digest('hex');
}

/** The local instance code: the national code with the province's agency code appended (2.000815.000.00.00.H55). */
export function localCode(code: string, rootAgencyCode: string): string {
  return `${code}.${rootAgencyCode}`;
}
