import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitEvent, startJobWorker, type BusConnection, type JobRequester } from '@tthc/bus';
import { queues } from '@tthc/contracts';
import { withTransaction, type Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import { UnrecoverableError, type Worker } from 'bullmq';
import { diffDocuments } from '../domain/changes';
import type { ReportDocument } from '../domain/document';
import { fileNames } from '../domain/file-name';
import { findReport, saveFiles, setReportStatus } from '../db/report.repository';
import { findSchedule } from '../db/schedule.repository';
import { templateFor } from '../db/template.repository';
import { renderDocxFromTemplate } from '../formats/docx-template';
import type { ReportsDb } from '../db/schema';
import { formats, ReportFormat, XLSX_CONTENT_TYPE } from '../formats';
import { writeAppendixXlsx } from '../formats/appendix.xlsx';
import type { AppendixPlan } from '../kinds/kind';
import { kindOf } from '../kinds/registry';
import { IdentityBroken } from '../kinds/statistics-table.block';
import { childKey, prepare } from './report-plan';

/** The base of a report's file names: its title, period, agency and version. */
export function fileBase(doc: ReportDocument): string {
  const title = doc.title.charAt(0) + doc.title.slice(1).toLocaleLowerCase('vi');
  return `${title} - ${doc.period.label}${doc.agencyCode ? ` - ${doc.agencyCode}` : ''} - v${doc.version}`;
}

/** Rows asked of kpi at a time, and how long one page may take. */
const APPENDIX_PAGE = 2000;
const APPENDIX_PAGE_TIMEOUT_MS = 120_000;

/**
 * The detail appendix: kpi's pages streamed into an XLSX on disk (one page in memory at a time),
 * then checked against the figures: an appendix that does not list exactly the dossiers the table
 * counts is not rendered (the job fails and is retried from the start).
 */
async function renderAppendix(
  requester: JobRequester,
  reportId: string,
  doc: ReportDocument,
  plan: AppendixPlan,
): Promise<Parameters<typeof saveFiles>[2][number]> {
  const dir = await mkdtemp(join(tmpdir(), `report-${reportId}-`));
  try {
    async function* rows() {
      let cursor: string | undefined;
      let n = 0;
      do {
        const page = await requester.ask(
          'kpi.statistics-dossiers',
          { ...plan.request, ...(cursor ? { cursor } : {}), limit: APPENDIX_PAGE },
          APPENDIX_PAGE_TIMEOUT_MS,
        );
        for (const r of page.items) yield plan.row(r, ++n);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    const file = await writeAppendixXlsx(join(dir, 'appendix.xlsx'), plan.sheet, rows());
    if (file.rows !== plan.expectedRows)
      throw new Error(`the appendix lists ${file.rows} dossiers where the table counts ${plan.expectedRows}`);
    const content = await readFile(file.path);
    return {
      format: 'appendix-xlsx',
      content_type: XLSX_CONTENT_TYPE,
      file_name: fileNames(`Phụ lục - ${fileBase(doc)}`, 'xlsx').utf8,
      sha256: file.sha256,
      size: file.size,
      content,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A report failed for good: its status and reason, and, for a scheduled one, the event that tells
 * its owner why, in one transaction (a report already finished is left as it is).
 */
async function recordFailure(
  deps: { db: Db<ReportsDb>; clock: () => Date; onEventsWritten?: () => void },
  reportId: string,
  reason: string,
): Promise<void> {
  const told = await withTransaction(deps.db, async (tx) => {
    if (!(await setReportStatus(tx, reportId, 'failed', { error: reason }, deps.clock()))) return false;
    const report = await findReport(tx, reportId);
    const schedule = report?.schedule_id ? await findSchedule(tx, report.schedule_id) : undefined;
    if (!report || !schedule) return false;
    await emitEvent(
      tx,
      'report.failed',
      {
        reportId,
        scheduleId: schedule.id,
        kind: report.kind,
        title: kindOf(report.kind)?.title ?? report.kind,
        periodLabel: report.period_label ?? '',
        agencyCode: schedule.agency_code,
        owner: schedule.owner,
        version: report.version,
        reason: reason.slice(0, 2000),
        href: `/v1/reports/${reportId}`,
      },
      { source: 'reports', entityId: reportId, entityVersion: report.version },
    );
    return true;
  });
  if (told) deps.onEventsWritten?.();
}

/**
 * The parent of a report flow: runs once every child has finished, renders only when every one of
 * them succeeded (a child that failed for good fails the report, naming it), and stores the
 * document and the files with the status in one transaction. A render that crashes runs again
 * from the children's stored answers and replaces whatever files it had written.
 */
export function startRenderWorker(deps: {
  db: Db<ReportsDb>;
  bus: BusConnection;
  logger: Logger;
  clock: () => Date;
  /** Asks kpi for the pages of a detail appendix. */
  requester: JobRequester;
  /** Called after a commit that wrote outbox events (a scheduled report ready). */
  onEventsWritten?: () => void;
}): Worker {
  const worker = startJobWorker({
    queue: queues.reportsRender,
    bus: deps.bus,
    logger: deps.logger,
    concurrency: 2,
    handlers: {
      'reports.render': async ({ reportId }, job) => {
        const report = await findReport(deps.db, reportId);
        if (!report) throw new UnrecoverableError(`report ${reportId} does not exist`);
        if (report.status === 'done' || report.status === 'failed') return { reportId };
        const failed = Object.entries(await job.getIgnoredChildrenFailures());
        if (failed.length > 0) {
          const reason = failed.map(([k, why]) => `${childKey(reportId, k) ?? k}: ${why}`).join('; ');
          await recordFailure(deps, reportId, `figures unavailable: ${reason}`);
          return { reportId };
        }
        await setReportStatus(deps.db, reportId, 'rendering');
        const plan = prepare(report.kind, report.params);
        const answers: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(await job.getChildrenValues())) {
          const key = childKey(reportId, k);
          if (key) answers[key] = v;
        }
        let doc: ReportDocument;
        try {
          doc = plan.kind.assemble(plan.params, answers, {
            reportId,
            version: report.version,
            dataCutAt: report.data_cut_at ?? report.created_at,
          });
        } catch (err) {
          // Figures that break the form's identities, or answers that do not read, never render.
          if (err instanceof IdentityBroken || (err as Error).name === 'ZodError')
            throw new UnrecoverableError(`the figures cannot be used: ${(err as Error).message}`);
          throw err;
        }
        const files: Parameters<typeof saveFiles>[2] = [];
        // A department's own DOCX template, when it has replaced the default (else the province's).
        const template = report.formats.includes('docx')
          ? await templateFor(deps.db, doc.agencyCode)
          : undefined;
        for (const name of report.formats) {
          const format = ReportFormat.parse(name);
          const content =
            format === 'docx' && template
              ? await renderDocxFromTemplate(template.content, doc)
              : await formats[format].render(doc);
          files.push({
            format,
            content_type: formats[format].contentType,
            file_name: fileNames(fileBase(doc), formats[format].extension).utf8,
            sha256: createHash('sha256').update(content).digest('hex'),
            size: content.length,
            content,
          });
        }
        const appendix = plan.kind.appendix?.(plan.params, answers);
        if (appendix) files.push(await renderAppendix(deps.requester, reportId, doc, appendix));
        const previous = report.supersedes ? await findReport(deps.db, report.supersedes) : undefined;
        const changes = previous?.document
          ? diffDocuments(previous.document as ReportDocument, doc)
          : undefined;
        const inputs = {
          kind: report.kind,
          period: plan.period,
          agencyCode: plan.params.agencyCode,
          dataCutAt: doc.dataCutAt,
          children: plan.children,
          ruleSets: Object.values(answers)
            .map((a) => (a as { ruleSet?: { id: string; effectiveFrom: string } }).ruleSet)
            .filter((r) => r !== undefined)
            .map((r) => ({ id: r.id, effectiveFrom: r.effectiveFrom })),
        };
        const told = await withTransaction(deps.db, async (tx) => {
          await saveFiles(tx, reportId, files);
          await setReportStatus(
            tx,
            reportId,
            'done',
            { document: doc, inputs, ...(changes ? { changes } : {}) },
            deps.clock(),
          );
          // A scheduled report: its owner is told, by an event committed with the files.
          const schedule = report.schedule_id ? await findSchedule(tx, report.schedule_id) : undefined;
          if (!schedule) return false;
          await emitEvent(
            tx,
            'report.ready',
            {
              reportId,
              scheduleId: schedule.id,
              kind: report.kind,
              title: doc.title,
              periodLabel: doc.period.label,
              agencyCode: doc.agencyCode,
              owner: schedule.owner,
              version: report.version,
              formats: files.map((f) => f.format),
              href: `/v1/reports/${reportId}`,
            },
            { source: 'reports', entityId: reportId, entityVersion: report.version },
          );
          return true;
        });
        if (told) deps.onEventsWritten?.();
        return { reportId };
      },
    },
  });
  // A render that failed for good (out of attempts, or refused) is recorded on the report.
  worker.on('failed', (job, err) => {
    const attempts = job?.opts.attempts ?? 1;
    if (job && (job.attemptsMade >= attempts || err instanceof UnrecoverableError)) {
      void recordFailure(deps, String(job.id), err.message).catch((e: unknown) =>
        deps.logger.error({ err: e }, 'could not record the failure of a report'),
      );
    }
  });
  return worker;
}
