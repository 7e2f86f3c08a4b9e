import { randomUUID } from 'node:crypto';
import { emitEvent } from '@tthc/bus';
import { withTransaction, type Db } from '@tthc/db';
import { isProblemCode, problems, type AgencyScope } from '@tthc/service-kit';
import { requireReportScope } from '../access';
import { z } from 'zod';
import {
  findReport,
  insertReport,
  issuedInSeries,
  lastVersion,
  lockReport,
  markIssued,
  type ReportRow,
} from '../db/report.repository';
import type { ReportsDb } from '../db/schema';
import type { ReportFormat } from '../formats';
import { ParamsRefused, reportPeriod, type PeriodParams } from '../kinds/kind';
import { kindOf } from '../kinds/registry';
import { checkTable } from '../kinds/statistics-table.block';
import type { ReportDocument } from '../domain/document';
import { StatisticsTable } from '@tthc/contracts';
import { lastClosedPeriod } from '../domain/closed-period';
import { scheduledReportExists, type ScheduleRow } from '../db/schedule.repository';

export interface CommandContext {
  db: Db<ReportsDb>;
  clock: () => Date;
  scope: AgencyScope;
  actor: string;
  requestId: string;
}

/** The period is checked before anything is stored or started: a 422 naming the field. */
function periodOrRefuse(params: PeriodParams, now: Date) {
  try {
    return reportPeriod(params, now);
  } catch (err) {
    if (err instanceof ParamsRefused)
      throw problems.unprocessable(isProblemCode(err.code) ? err.code : 'invalid_params', err.detail, [
        { in: 'body', pointer: err.pointer, detail: err.detail },
      ]);
    throw err;
  }
}

async function start(
  ctx: CommandContext,
  input: {
    kind: string;
    params: PeriodParams;
    formats: ReportFormat[];
    series?: { id: string; version: number; supersedes: string; note: string };
    scheduleId?: string;
  },
): Promise<ReportRow> {
  const period = periodOrRefuse(input.params, ctx.clock());
  const id = randomUUID();
  const row = await withTransaction(ctx.db, async (tx) => {
    const report = await insertReport(tx, {
      id,
      kind: input.kind,
      params: JSON.stringify(input.params),
      agency_code: input.params.agencyCode,
      status: 'queued',
      artifact: null,
      error: null,
      requested_by: ctx.actor,
      finished_at: null,
      series_id: input.series?.id ?? id,
      version: input.series?.version ?? 1,
      supersedes: input.series?.supersedes ?? null,
      change_note: input.series?.note ?? null,
      changes: null,
      period_label: period.label,
      period_from: period.from,
      period_to: period.to,
      formats: input.formats,
      inputs: null,
      document: null,
      data_cut_at: ctx.clock(),
      issued_at: null,
      issued_by: null,
      schedule_id: input.scheduleId ?? null,
    });
    await emitEvent(
      tx,
      'report.requested',
      { reportId: report.id, kind: input.kind, params: input.params },
      { source: 'reports', entityId: report.id, entityVersion: 1, requestId: ctx.requestId },
    );
    return report;
  });
  return row;
}

/** Asks for a report: its scope and period checked, stored as queued, its flow started by the event. */
export async function requestReport(
  ctx: CommandContext,
  input: { kind: string; params: PeriodParams; formats: ReportFormat[] },
): Promise<ReportRow> {
  requireReportScope(ctx.scope, { agencyCode: input.params.agencyCode });
  return start(ctx, input);
}

/**
 * A new version of a report: the same kind, agency and period, the narrative edited (a draft
 * before issue) or corrected (after issue), with a note saying why; the render records what
 * changed against the version it supersedes. Only the latest version gets a successor.
 */
export async function reviseReport(
  ctx: CommandContext,
  id: string,
  input: { narrative?: unknown; note: string },
): Promise<ReportRow> {
  // No lock: the unique (series, version) index refuses a second successor of the same version.
  const current = await findReport(ctx.db, id);
  if (!current) throw problems.notFound('report', `report ${id} not found`);
  requireReportScope(ctx.scope, { id, agencyCode: current.agency_code });
  const last = await lastVersion(ctx.db, current.series_id);
  if (current.version !== last)
    throw problems.conflict(
      'not_latest_version',
      `report ${id} is version ${current.version} of ${last}: revise the latest`,
    );
  if (current.status !== 'done' && current.status !== 'failed')
    throw problems.conflict('report_in_progress', `report ${id} is ${current.status}: wait until it is done`);
  const kind = kindOf(current.kind);
  if (!kind) throw problems.conflict('unknown_kind', `reports of kind ${current.kind} can no longer be made`);
  const raw = current.params as Record<string, unknown>;
  const shape = kind.params instanceof z.ZodObject ? kind.params.shape : {};
  if (input.narrative !== undefined && !('narrative' in shape))
    throw problems.unprocessable('no_narrative', `a ${current.kind} report has no narrative`, [
      { in: 'body', pointer: '/narrative', detail: 'this kind of report has no narrative' },
    ]);
  const merged = input.narrative === undefined ? raw : { ...raw, narrative: input.narrative };
  const parsed = kind.params.safeParse(merged);
  if (!parsed.success)
    throw problems.unprocessable(
      'invalid_params',
      'the revised parameters do not read',
      parsed.error.issues.map((i) => ({
        in: 'body' as const,
        pointer: `/${i.path.join('/')}`,
        detail: i.message,
      })),
    );
  return start(ctx, {
    kind: current.kind,
    params: parsed.data,
    formats: current.formats as ReportFormat[],
    series: { id: current.series_id, version: last + 1, supersedes: current.id, note: input.note },
  });
}

/**
 * Issues a report: frozen from then on (its inputs, document and files are kept as they are; a
 * correction is a new version). Only a report that is done, with no later version issued.
 */
export async function issueReport(ctx: CommandContext, id: string): Promise<ReportRow> {
  return withTransaction(ctx.db, async (tx) => {
    const report = await lockReport(tx, id);
    if (!report) throw problems.notFound('report', `report ${id} not found`);
    requireReportScope(ctx.scope, { id, agencyCode: report.agency_code });
    if (report.issued_at) return report;
    if (report.status !== 'done')
      throw problems.conflict(
        'report_not_done',
        `report ${id} is ${report.status}: only a finished report is issued`,
      );
    // The form's identities once more on the figures kept, so nothing that breaks them is issued.
    const table = (report.document as ReportDocument | null)?.figures['statisticsTable'];
    if (table) {
      try {
        checkTable(StatisticsTable.parse(table));
      } catch (err) {
        throw problems.conflict('identity_broken', (err as Error).message);
      }
    }
    const later = (await issuedInSeries(tx, report.series_id)).filter((r) => r.version > report.version);
    if (later.length > 0)
      throw problems.conflict('superseded', `version ${later[0]!.version} of this report is already issued`);
    await markIssued(tx, id, ctx.actor, ctx.clock());
    return (await lockReport(tx, id))!;
  });
}

/**
 * The report a schedule owes for the last period of its cadence that has closed, unless it was
 * already asked for (the unique index keeps one per schedule and period across replicas).
 * Returns the new report, or undefined when there was nothing to do.
 */
export async function requestScheduledReport(
  deps: { db: Db<ReportsDb>; clock: () => Date },
  schedule: ScheduleRow,
): Promise<ReportRow | undefined> {
  const kind = kindOf(schedule.kind);
  if (!kind) return undefined;
  const period = lastClosedPeriod(schedule.cadence, schedule.basis, deps.clock());
  if (await scheduledReportExists(deps.db, schedule.id, period.label)) return undefined;
  const params = kind.params.parse({
    agencyCode: schedule.agency_code,
    period: period.label,
    basis: schedule.basis,
  });
  try {
    return await start(
      {
        db: deps.db,
        clock: deps.clock,
        scope: null,
        actor: `schedule:${schedule.id}`,
        requestId: `schedule-${schedule.id}`,
      },
      { kind: schedule.kind, params, formats: schedule.formats as ReportFormat[], scheduleId: schedule.id },
    );
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return undefined;
    throw err;
  }
}
