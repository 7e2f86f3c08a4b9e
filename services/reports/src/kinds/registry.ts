import { z } from 'zod';
import { dossierStatistics } from './dossier-statistics.kind';
import type { PeriodParams, ReportKind } from './kind';
import { procedureStatistics } from './procedure-statistics.kind';
import { reformReport } from './reform-report.kind';
import { scorecard } from './scorecard.kind';

/** Every kind of report, by name. */
export const reportKinds = {
  'dossier-statistics': dossierStatistics,
  'procedure-statistics': procedureStatistics,
  'reform-report': reformReport,
  scorecard,
} as const satisfies Record<string, ReportKind<any>>;

export type ReportKindName = keyof typeof reportKinds;
export const KIND_NAMES = Object.keys(reportKinds) as [ReportKindName, ...ReportKindName[]];
export const ReportKindName = z.enum(KIND_NAMES);

export function kindOf(name: string): ReportKind<PeriodParams> | undefined {
  return (reportKinds as Record<string, ReportKind<any>>)[name];
}
