import { AuthorityLevel, DossierComponent, InterAgency, OnlineLevel, ProcedureMethod } from '@tthc/contracts';
import { z } from 'zod';
import type { HistoryRow, ProcedureView, VersionRow } from '../db/procedure.repository';
import type { ProcedureStatus } from '../db/schema';
import {
  LegacyLevel,
  LegalBasis,
  missingComponents,
  NationalCode,
  ProcedureContent,
} from '../domain/procedure';

export const ProcedureStatusSchema = z.enum(['draft', 'published', 'suspended', 'abolished']);

const example = {
  code: '1.004579',
  name: 'Cấp chứng chỉ hành nghề dược theo hình thức xét hồ sơ',
  fieldCode: 'DUOC_PHAM',
  decidingAgencyCode: '000.00.17.H55',
  receivingAgencyCode: '000.20.17.H55',
  authorityLevel: 'province',
  steps: [
    'Bước 1: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh',
    'Bước 2: Sở Y tế thẩm định hồ sơ',
    'Bước 3: Trả kết quả',
  ],
  methods: [
    {
      channel: 'direct',
      processingTime: { value: 20, unit: 'working_days' },
      fees: [{ name: 'Phí thẩm định', amount: 500000 }],
      note: null,
    },
    {
      channel: 'online',
      processingTime: { value: 20, unit: 'working_days' },
      fees: [{ name: 'Phí thẩm định', amount: 500000 }],
      note: null,
    },
  ],
  components: [
    {
      case: null,
      name: 'Đơn đề nghị cấp chứng chỉ hành nghề dược (Mẫu số 02)',
      originals: 1,
      copies: 0,
      formTemplate: 'Mẫu số 02',
    },
  ],
  conditions: ['Có văn bằng chuyên môn phù hợp'],
  result: { name: 'Chứng chỉ hành nghề dược', isPaperDocument: true },
  applicantTypes: ['person'],
  legalBasis: [
    { number: '105/2016/QH13', title: 'Luật Dược', issuedOn: '2016-04-06', effectiveFrom: '2017-01-01' },
  ],
  interAgency: null,
  onlineLevel: 'full',
  legacyLevel: 4,
  onlinePayment: true,
};

export const CreateProcedure = z
  .intersection(z.object({ code: NationalCode }), ProcedureContent)
  .meta({ id: 'CreateProcedure', examples: [example] });

export const UpdateProcedure = ProcedureContent.meta({
  id: 'ProcedureContent',
  examples: [{ ...example, code: undefined }],
});

/** A procedure's content as the examples of the document show it (the code is the path's). */
export const PROCEDURE_CONTENT_EXAMPLE = (({ code: _code, ...content }) => content)(example);

export const DecisionBody = z
  .object({
    decisionNumber: z.string().max(40),
    signedOn: z.iso.date(),
    effectiveFrom: z.iso.date(),
    nationalPublishedOn: z.iso.date().nullable().optional(),
  })
  .meta({
    id: 'Decision',
    examples: [
      {
        decisionNumber: '184/QĐ-UBND',
        signedOn: '2026-01-10',
        effectiveFrom: '2026-01-15',
        nationalPublishedOn: '2026-01-14',
      },
    ],
  });

const DecisionOut = z.object({
  decisionNumber: z.string(),
  signedOn: z.iso.date(),
  effectiveFrom: z.iso.date().nullable(),
  nationalPublishedOn: z.iso.date().nullable(),
});

const AbolitionOut = z
  .object({
    decisionNumber: z.string(),
    signedOn: z.iso.date().nullable(),
    effectiveFrom: z.iso.date().nullable(),
    reason: z.string().nullable(),
  })
  .nullable()
  .meta({
    description:
      'the decision that abolished the procedure (null while none has); `decision` stays the one that published this version',
  });

export const Procedure = z
  .object({
    id: z.uuid(),
    code: z.string(),
    localCode: z.string().nullable(),
    version: z.number().int(),
    status: ProcedureStatusSchema,
    name: z.string(),
    fieldCode: z.string(),
    decidingAgencyCode: z.string(),
    receivingAgencyCode: z.string(),
    authorityLevel: AuthorityLevel,
    steps: z.array(z.string()),
    methods: z.array(ProcedureMethod),
    components: z.array(DossierComponent),
    conditions: z.array(z.string()),
    result: z.object({ name: z.string(), isPaperDocument: z.boolean() }).nullable(),
    applicantTypes: z.array(z.enum(['person', 'organisation'])),
    legalBasis: z.array(LegalBasis),
    interAgency: InterAgency.nullable(),
    onlineLevel: OnlineLevel,
    legacyLevel: LegacyLevel.nullable(),
    onlinePayment: z.boolean(),
    publishingAgency: z.string().optional().meta({
      description: 'the agency that published it on the national database (cơ quan công bố), when known',
    }),
    relatedProcedures: z
      .array(z.string())
      .optional()
      .meta({ description: 'procedures the national record names as related (thủ tục liên quan)' }),
    feeBearing: z.boolean(),
    complete: z.boolean(),
    missingComponents: z.array(z.string()).meta({
      description:
        'the components Nghị định 63/2010 Art. 8.2 always requires that the record lacks (empty when complete)',
    }),
    decision: DecisionOut.nullable(),
    abolition: AbolitionOut,
    validFrom: z.iso.date().nullable(),
    validTo: z.iso.date().nullable(),
    latestVersion: z.number().int(),
    etag: z.string(),
  })
  .meta({
    id: 'Procedure',
    'x-etag': true,
    examples: [
      {
        id: '0f8c2a52-61a4-4c1e-9f55-3b8f2f0f8a10',
        ...example,
        localCode: '1.004579.000.00.00.H55',
        version: 1,
        status: 'published',
        feeBearing: true,
        complete: true,
        missingComponents: [],
        decision: {
          decisionNumber: '184/QĐ-UBND',
          signedOn: '2026-01-10',
          effectiveFrom: '2026-01-15',
          nationalPublishedOn: null,
        },
        abolition: null,
        validFrom: '2026-01-15',
        validTo: null,
        latestVersion: 1,
        etag: '"3"',
      },
    ],
  });

export const ProcedureSummary = z
  .object({
    id: z.uuid(),
    code: z.string(),
    version: z.number().int(),
    status: ProcedureStatusSchema,
    name: z.string(),
    fieldCode: z.string(),
    decidingAgencyCode: z.string(),
    receivingAgencyCode: z.string(),
    authorityLevel: AuthorityLevel,
    onlineLevel: OnlineLevel,
    legacyLevel: LegacyLevel.nullable(),
    feeBearing: z.boolean(),
    complete: z.boolean(),
    interAgency: z.boolean(),
    validFrom: z.iso.date().nullable(),
  })
  .meta({
    id: 'ProcedureSummary',
    examples: [
      {
        id: '0f8c2a52-61a4-4c1e-9f55-3b8f2f0f8a10',
        code: '1.004579',
        version: 1,
        status: 'published',
        name: 'Cấp chứng chỉ hành nghề dược theo hình thức xét hồ sơ',
        fieldCode: 'DUOC_PHAM',
        decidingAgencyCode: '000.00.17.H55',
        receivingAgencyCode: '000.20.17.H55',
        authorityLevel: 'province',
        onlineLevel: 'full',
        legacyLevel: 4,
        feeBearing: true,
        complete: true,
        interAgency: false,
        validFrom: '2026-01-15',
      },
    ],
  });

export { etagOf, parseIfMatch } from '@tthc/service-kit';
import { etagOf } from '@tthc/service-kit';

export function toProcedure(
  v: VersionRow,
  p: { id: string; status: ProcedureStatus; current_version: number; row_version: number },
  abolition: HistoryRow | undefined,
) {
  const c = v.content as z.infer<typeof ProcedureContent>;
  return {
    id: p.id,
    code: v.code,
    localCode: v.local_code,
    version: v.version,
    status: p.status,
    ...c,
    feeBearing: v.fee_bearing,
    complete: v.complete,
    missingComponents: missingComponents(c),
    decision: v.decision_number
      ? {
          decisionNumber: v.decision_number,
          signedOn: v.decision_signed_on ?? '',
          effectiveFrom: v.valid_from,
          nationalPublishedOn: v.national_published_on,
        }
      : null,
    abolition: abolition
      ? {
          decisionNumber: abolition.decision_number ?? '',
          signedOn: abolition.decision_signed_on,
          effectiveFrom: abolition.effective_from,
          reason: abolition.reason,
        }
      : null,
    validFrom: v.valid_from,
    validTo: v.valid_to,
    latestVersion: p.current_version,
    etag: etagOf(p.row_version),
  };
}

export function toSummary(x: ProcedureView) {
  return {
    id: x.id,
    code: x.code,
    version: x.version,
    status: x.status,
    name: x.name,
    fieldCode: x.field_code,
    decidingAgencyCode: x.deciding_agency_code,
    receivingAgencyCode: x.receiving_agency_code,
    authorityLevel: x.authority_level as z.infer<typeof AuthorityLevel>,
    onlineLevel: x.online_level,
    legacyLevel: x.legacy_level,
    feeBearing: x.fee_bearing,
    complete: x.complete,
    interAgency: x.inter_agency,
    validFrom: x.valid_from,
  };
}
