import { jobRetention, type BusConnection } from '@tthc/bus';
import { internalQueues } from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { CatalogueDb } from '../db/schema';
import { pullNationalCatalogue, PullFailed, type NationalSource, type PullRun } from './pull';

export interface PullJobData {
  trigger: 'schedule' | 'operator';
  requestedBy: string;
}

export interface NationalPullSettings {
  source: NationalSource | null;
  /** Cron in Asia/Ho_Chi_Minh, or null for operator pulls only. */
  cron: string | null;
  attempts: number;
  backoffMs: number;
}

export interface NationalPuller {
  /** Queues a pull now (an operator's request); null when no source is configured. */
  requestPull: (requestedBy: string) => Promise<{ jobId: string } | null>;
  configured: boolean;
  close: () => Promise<void>;
}

const SCHEDULER_ID = 'national-catalogue-pull';

/**
 * The scheduled pull of the national procedure database: a repeatable job (kept in Redis, so
 * replicas keep one schedule) and operator requests on the same queue, one at a time. A failed
 * attempt the source may get over is retried with exponential backoff; one it cannot (a 4xx,
 * an answer without records) is not. Each attempt leaves its row in national_pulls.
 */
export function startNationalPull(deps: {
  db: Db<CatalogueDb>;
  bus: BusConnection;
  logger: Logger;
  clock: () => Date;
  onEventsWritten: () => void;
  /** Called after a pull changed the catalogue, so cached published reads are dropped (here and on the other replicas). */
  onCatalogueChanged: () => void;
  settings: NationalPullSettings;
}): NationalPuller {
  const { source, cron, attempts, backoffMs } = deps.settings;
  const connection = { connection: deps.bus.redis, prefix: deps.bus.prefix };
  const queue = new Queue<PullJobData, PullRun>(internalQueues.catalogueNationalPull, {
    ...connection,
    defaultJobOptions: { ...jobRetention, attempts, backoff: { type: 'exponential', delay: backoffMs } },
  });
  if (!source) {
    return { requestPull: async () => null, configured: false, close: () => queue.close() };
  }
  if (cron) {
    queue
      .upsertJobScheduler(
        SCHEDULER_ID,
        { pattern: cron, tz: 'Asia/Ho_Chi_Minh' },
        { name: 'pull', data: { trigger: 'schedule', requestedBy: 'schedule' } },
      )
      .catch((err: unknown) =>
        deps.logger.error({ err: (err as Error).message }, 'could not schedule the national catalogue pull'),
      );
  }
  const worker = new Worker<PullJobData, PullRun>(
    internalQueues.catalogueNationalPull,
    async (job: Job<PullJobData>) => {
      try {
        const run = await pullNationalCatalogue(
          {
            db: deps.db,
            actor: `national-import:${job.data.requestedBy}`,
            requestId: null,
            clock: deps.clock,
          },
          source,
          { trigger: job.data.trigger, attempt: job.attemptsMade + 1, requestedBy: job.data.requestedBy },
        );
        if (run.outcome === 'applied' || run.outcome === 'partial') {
          deps.onCatalogueChanged();
          deps.onEventsWritten();
        }
        deps.logger.info(
          { pull: run.id, outcome: run.outcome, counts: run.counts, refused: run.refused.length },
          'national catalogue pulled',
        );
        return run;
      } catch (err) {
        if (err instanceof PullFailed) {
          deps.logger.warn(
            { attempt: job.attemptsMade + 1, reason: err.message },
            'national catalogue pull failed',
          );
          if (!err.retryable) throw new UnrecoverableError(err.message);
        }
        throw err;
      }
    },
    { ...connection, concurrency: 1 },
  );
  worker.on('error', (err) => deps.logger.error({ err: err.message }, 'national pull worker error'));
  return {
    configured: true,
    requestPull: async (requestedBy) => {
      const job = await queue.add('pull', { trigger: 'operator', requestedBy });
      return { jobId: job.id! };
    },
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
