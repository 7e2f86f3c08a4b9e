import type { JobProducer } from '@tthc/bus';
import { addDays, vnDate } from '@tthc/calendar';
import { jobs, parseEvent, type JobResult } from '@tthc/contracts';
import { withTransaction, type Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import {
  daysOf,
  factCells,
  findRun,
  insertRun,
  updateRun,
  type RunRow,
} from '../db/reconciliation.repository';
import type { KpiDb } from '../db/schema';
import { applyDossierEvent } from '../facts/dossier.projector';
import { rebuildRollupDays } from '../facts/rebuild';
import { cellsOf, driftOf, type DriftItem } from './drift';

export interface ReconciliationDeps {
  db: Db<KpiDb>;
  logger: Logger;
  producer: JobProducer;
  /** Completion events of intake.jobs: a reconciliation waits for intake's answer. */
  intakeJobEvents: QueueEvents;
  clock: () => Date;
  /** How long intake has to answer. */
  timeoutMs?: number;
}

const ask = async <N extends 'intake.reconciliation-counts' | 'intake.replay-dossier-events'>(
  deps: ReconciliationDeps,
  name: N,
  data: Parameters<JobProducer['add']>[1],
  jobId: string,
): Promise<JobResult<N>> => {
  const job = await deps.producer.add(name, data as never, {
    jobId,
    attempts: 3,
    backoff: { type: 'exponential', delay: 500 },
  });
  return jobs[name].result.parse(
    await job.waitUntilFinished(deps.intakeJobEvents, deps.timeoutMs ?? 120_000),
  ) as JobResult<N>;
};

/** Creates a run over the receipt days [from, to]. */
export async function createRun(
  db: Db<KpiDb>,
  r: {
    from: string;
    to: string;
    agencyCodes: string[] | null;
    trigger: 'nightly' | 'on_demand';
    requestedBy: string;
  },
): Promise<RunRow> {
  return insertRun(db, {
    id: randomUUID(),
    trigger: r.trigger,
    from_day: r.from,
    to_day: r.to,
    agency_codes: r.agencyCodes,
    status: 'queued',
    requested_by: r.requestedBy,
    finished_at: null,
    cells: null,
    differing_cells: null,
    drift: null,
    error: null,
    repair_status: null,
    repaired_at: null,
    repair: null,
  });
}

/**
 * Compares kpi's facts with intake's own counts of received dossiers by agency, day and status,
 * asked over the queue; records the drift with the dossiers' codes.
 */
export async function reconcile(
  deps: ReconciliationDeps,
  runId: string,
): Promise<JobResult<'kpi.reconcile'>> {
  const run = await findRun(deps.db, runId);
  if (!run) throw new Error(`reconciliation run ${runId} does not exist`);
  await updateRun(deps.db, runId, { status: 'running', error: null });
  try {
    const span = { from: run.from_day, to: run.to_day, agencyCodes: run.agency_codes };
    const rows = await factCells(deps.db, span);
    const answer = await ask(
      deps,
      'intake.reconciliation-counts',
      { ...span, cells: cellsOf(rows) },
      `reconcile-${runId}-${Date.now()}`,
    );
    const drift = driftOf(rows, answer);
    await updateRun(deps.db, runId, {
      status: 'done',
      finished_at: deps.clock(),
      cells: answer.cells.length,
      differing_cells: answer.differing.length,
      drift: JSON.stringify(drift),
    });
    if (drift.length > 0)
      deps.logger.warn(
        { runId, drift: drift.length, codes: drift.slice(0, 20).map((d) => d.code) },
        'reconciliation: kpi facts differ from intake',
      );
    return { runId, status: 'done', drift: drift.length };
  } catch (err) {
    await updateRun(deps.db, runId, {
      status: 'failed',
      finished_at: deps.clock(),
      error: err instanceof Error ? err.message : String(err),
    });
    throw err;
  }
}

/** The nightly run: the receipt days of the last `days` days up to yesterday (Asia/Ho_Chi_Minh). */
export async function reconcileNightly(
  deps: ReconciliationDeps,
  days: number,
): Promise<JobResult<'kpi.reconcile'>> {
  const yesterday = addDays(vnDate(deps.clock()), -1);
  const run = await createRun(deps.db, {
    from: addDays(yesterday, -(days - 1)),
    to: yesterday,
    agencyCodes: null,
    trigger: 'nightly',
    requestedBy: 'scheduler',
  });
  return reconcile(deps, run.id);
}

const CHUNK = 500;

/**
 * Repairs a run's drift: intake re-sends the events it emitted for the drifted dossiers, which
 * are applied again (the projector is idempotent), then the rollups of the days they touch are
 * rebuilt from the facts. A dossier intake does not hold cannot be repaired this way: reported.
 */
export async function repair(deps: ReconciliationDeps, runId: string): Promise<JobResult<'kpi.repair'>> {
  const run = await findRun(deps.db, runId);
  if (!run || run.status !== 'done') throw new Error(`reconciliation run ${runId} has no drift to repair`);
  await updateRun(deps.db, runId, { repair_status: 'running' });
  try {
    const drift = (run.drift ?? []) as DriftItem[];
    const ids = [...new Set(drift.filter((d) => d.kind !== 'missing_in_intake').map((d) => d.dossierId))];
    const daysBefore = await daysOf(deps.db, ids);
    let events = 0;
    const missing: string[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const answer = await ask(
        deps,
        'intake.replay-dossier-events',
        { dossierIds: ids.slice(i, i + CHUNK) },
        `repair-${runId}-${i}-${Date.now()}`,
      );
      missing.push(...answer.missing);
      for (const envelope of answer.events) {
        const event = parseEvent(envelope);
        if (!event.type.startsWith('dossier.')) continue;
        await withTransaction(deps.db, (tx) =>
          applyDossierEvent(tx, event as Parameters<typeof applyDossierEvent>[1], event.schemaVersion),
        );
        events++;
      }
    }
    await rebuildRollupDays(deps.db, [...new Set([...daysBefore, ...(await daysOf(deps.db, ids))])]);
    const result = {
      runId,
      replayedDossiers: ids.length - missing.length,
      replayedEvents: events,
      notInIntake: drift.filter((d) => d.kind === 'missing_in_intake').length + missing.length,
    };
    await updateRun(deps.db, runId, {
      repair_status: 'done',
      repaired_at: deps.clock(),
      repair: JSON.stringify(result),
    });
    return result;
  } catch (err) {
    await updateRun(deps.db, runId, {
      repair_status: 'failed',
      repair: JSON.stringify({ error: err instanceof Error ? err.message : String(err) }),
    });
    throw err;
  }
}
