import { AgencyCode, AuthorityLevel } from '@tthc/contracts';
import { z } from 'zod';
import { FieldCode, NationalCode, ProcedureContent, VnText } from './procedure';

const isoDate = z.iso.date();

export const AgencyKindSchema = z.enum([
  'people_committee',
  'department',
  'sub_department',
  'public_service_unit',
  'service_center',
  'other',
]);

export const FileField = z.object({ code: FieldCode, name: VnText(300) }).strict();
export const FileAgency = z
  .object({
    code: AgencyCode,
    name: VnText(500),
    parentCode: AgencyCode.nullable(),
    level: AuthorityLevel,
    kind: AgencyKindSchema,
    /** Agencies this desk receives dossiers for (a provincial service centre: the departments). */
    receivesFor: z.array(AgencyCode).max(200).default([]),
  })
  .strict();

export const Publication = z
  .object({
    decisionNumber: z.string(),
    signedOn: isoDate,
    effectiveFrom: isoDate,
    nationalPublishedOn: isoDate.nullable().optional(),
  })
  .strict();

/** One procedure of an import: its code, content and, if published, the publishing decision. */
export const FileProcedure = z.intersection(
  z.object({ code: NationalCode, publication: Publication.nullable() }),
  ProcedureContent,
);
export type FileProcedure = z.infer<typeof FileProcedure>;

/** The catalogue as a department keeps it: fields, agencies and procedures (JSON import/export). */
export const CatalogueFile = z.object({
  fields: z.array(z.unknown()).max(500).default([]),
  agencies: z.array(z.unknown()).max(5000).default([]),
  procedures: z.array(z.unknown()).max(10_000),
});
export type CatalogueFileRaw = z.infer<typeof CatalogueFile>;
