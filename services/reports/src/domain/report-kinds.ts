import { z } from 'zod';

/** Parameters of the received-dossiers summary: an agency (or all) and an inclusive date range. */
export const ReceivedSummaryParams = z
  .object({
    agencyCode: z.string().max(35).nullable().default(null),
    from: z.iso.date(),
    to: z.iso.date(),
  })
  .refine((p) => p.from <= p.to, { message: '`to` must be on or after `from`', path: ['to'] });

export const reportKinds = {
  'received-summary': {
    title: 'Tổng hợp hồ sơ tiếp nhận',
    params: ReceivedSummaryParams,
  },
} as const;
export type ReportKind = keyof typeof reportKinds;
export const ReportKindSchema = z.enum(Object.keys(reportKinds) as [ReportKind, ...ReportKind[]]);

/** The artifact of a received-summary report, from the kpi child's figures. */
export function renderReceivedSummary(
  params: z.infer<typeof ReceivedSummaryParams>,
  counts: { total: number; days: { agencyCode: string; day: string; received: number }[] },
  generatedAt: Date,
) {
  const byAgency = new Map<string, number>();
  for (const d of counts.days) byAgency.set(d.agencyCode, (byAgency.get(d.agencyCode) ?? 0) + d.received);
  return {
    title: reportKinds['received-summary'].title,
    params,
    generatedAt: generatedAt.toISOString(),
    total: counts.total,
    byAgency: [...byAgency.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([agencyCode, received]) => ({ agencyCode, received })),
    days: counts.days,
  };
}
