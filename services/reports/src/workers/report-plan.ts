import { resolvePeriod, type ReportingPeriod } from '@tthc/calendar';
import { UnrecoverableError } from 'bullmq';
import type { ChildJob, PeriodParams, ReportKind } from '../kinds/kind';
import { kindOf } from '../kinds/registry';

/** Child job ids: the report's id and the kind's key for the child (BullMQ ids may not hold ':'). */
export const childJobId = (reportId: string, key: string) => `${reportId}-${key}`;

/** The key a child was added under, from the key getChildrenValues gives (prefix:queue:jobId). */
export function childKey(reportId: string, valuesKey: string): string | undefined {
  const id = valuesKey.slice(valuesKey.lastIndexOf(':') + 1);
  return id.startsWith(`${reportId}-`) ? id.slice(reportId.length + 1) : undefined;
}

export interface Plan {
  kind: ReportKind<PeriodParams>;
  params: PeriodParams;
  period: ReportingPeriod;
  children: ChildJob[];
}

/** A stored report read back into its kind, parameters, period and children; what cannot be read can never succeed. */
export function prepare(name: string, rawParams: unknown): Plan {
  const kind = kindOf(name);
  if (!kind) throw new UnrecoverableError(`unknown report kind ${name}`);
  const parsed = kind.params.safeParse(rawParams);
  if (!parsed.success) throw new UnrecoverableError(`the parameters do not read: ${parsed.error.message}`);
  const params = parsed.data;
  const period = resolvePeriod({ period: params.period, basis: params.basis });
  return { kind, params, period, children: kind.children(params, period) };
}
