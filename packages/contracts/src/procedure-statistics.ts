import { z } from 'zod';

/**
 * The catalogue's figures for a reporting agency on a date, and the changes of a period: the
 * answer of GET /v1/procedures/statistics and of the catalogue.procedure-statistics job (the
 * reports service's procedure statistics).
 */
const ShareOut = z.object({ count: z.number().int(), total: z.number().int(), rate: z.number().nullable() });
const ChangeOut = z.object({
  code: z.string(),
  name: z.string(),
  fieldCode: z.string(),
  version: z.number().int(),
  decisionNumber: z.string().nullable(),
  signedOn: z.iso.date().nullable(),
  effectiveFrom: z.iso.date(),
});

export const CatalogueStatistics = z
  .object({
    agencyCode: z.string().nullable(),
    asOf: z.iso.date(),
    period: z.object({ from: z.iso.date(), to: z.iso.date() }).nullable(),
    byField: z.array(
      z.object({
        fieldCode: z.string(),
        fieldName: z.string(),
        onlineLevel: z.enum(['full', 'partial', 'none']),
        legacyLevel: z.number().int().min(1).max(4).nullable(),
        status: z.enum(['draft', 'published', 'suspended', 'abolished']),
        count: z.number().int(),
      }),
    ),
    totals: z.object({
      draft: z.number().int(),
      published: z.number().int(),
      suspended: z.number().int(),
      abolished: z.number().int(),
    }),
    publishedByLevel: z
      .object({
        total: z.number().int(),
        online: z.object({ full: z.number().int(), partial: z.number().int(), none: z.number().int() }),
        legacy: z.object({
          level1: z.number().int(),
          level2: z.number().int(),
          level3: z.number().int(),
          level4: z.number().int(),
          none: z.number().int().meta({ description: 'records without a legacy level' }),
        }),
      })
      .meta({
        description:
          'The procedures in force (totals.published) by online level (Nghị định 42/2022) and by legacy level 1–4 (Nghị định 43/2011); each adds up to the total',
      }),
    shares: z.object({ online: ShareOut, feeBearing: ShareOut, completeContent: ShareOut }),
    changes: z.object({
      published: z.array(ChangeOut),
      amended: z.array(ChangeOut),
      abolished: z.array(ChangeOut),
    }),
    timeliness: z.object({
      decisionsIssuedOnTime: ShareOut,
      madePublicOnTime: ShareOut.extend({ notYetRecorded: z.number().int() }),
    }),
    oneStopDesk: z
      .object({
        total: z.number().int(),
        desks: z.array(
          z.object({
            agencyCode: z.string(),
            name: z.string(),
            kind: z.enum(['service_center', 'people_committee']),
            count: z.number().int(),
          }),
        ),
        byField: z.array(z.object({ fieldCode: z.string(), fieldName: z.string(), count: z.number().int() })),
      })
      .meta({
        description:
          'The procedures in force whose dossiers are received at a one-stop desk (Nghị định 61/2018/NĐ-CP): the receiving agency is a public administration service centre (kind service_center, Trung tâm Phục vụ hành chính công) or a district or commune people committee (its Bộ phận Một cửa); by desk and by field',
      }),
  })
  .meta({
    id: 'CatalogueStatistics',
    examples: [
      {
        agencyCode: '000.00.17.H55',
        asOf: '2026-06-30',
        period: { from: '2026-01-01', to: '2026-06-30' },
        byField: [
          {
            fieldCode: 'DUOC_PHAM',
            fieldName: 'Dược phẩm',
            onlineLevel: 'full',
            legacyLevel: 4,
            status: 'published',
            count: 8,
          },
          {
            fieldCode: 'DUOC_PHAM',
            fieldName: 'Dược phẩm',
            onlineLevel: 'partial',
            legacyLevel: 3,
            status: 'published',
            count: 4,
          },
        ],
        totals: { draft: 0, published: 12, suspended: 0, abolished: 1 },
        publishedByLevel: {
          total: 12,
          online: { full: 8, partial: 4, none: 0 },
          legacy: { level1: 0, level2: 0, level3: 4, level4: 8, none: 0 },
        },
        shares: {
          online: { count: 12, total: 12, rate: 1 },
          feeBearing: { count: 8, total: 12, rate: 0.6667 },
          completeContent: { count: 11, total: 12, rate: 0.9167 },
        },
        changes: { published: [], amended: [], abolished: [] },
        timeliness: {
          decisionsIssuedOnTime: { count: 0, total: 0, rate: null },
          madePublicOnTime: { count: 0, total: 0, rate: null, notYetRecorded: 0 },
        },
        oneStopDesk: {
          total: 11,
          desks: [
            {
              agencyCode: '000.20.17.H55',
              name: 'Trung tâm Phục vụ hành chính công tỉnh',
              kind: 'service_center',
              count: 11,
            },
          ],
          byField: [{ fieldCode: 'DUOC_PHAM', fieldName: 'Dược phẩm', count: 11 }],
        },
      },
    ],
  });

export type CatalogueStatistics = z.infer<typeof CatalogueStatistics>;

/** catalogue.procedure-statistics: the catalogue's figures for a report (as of `asOf`, changes since `from`). */
export const ProcedureStatisticsJob = z.object({
  agencyCode: z.string().max(35).optional(),
  asOf: z.iso.date(),
  from: z.iso.date().optional(),
});
