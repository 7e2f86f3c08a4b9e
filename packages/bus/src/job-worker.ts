import {
  jobs,
  jobsOn,
  type JobData,
  type JobInput,
  type JobName,
  type JobNameOn,
  type JobResult,
  type QueueName,
} from '@tthc/contracts';
import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { consumeSpan } from './trace-context';
import { jobRetention, type BusConnection } from './redis';
import { withTraceparent } from './trace-context';

export type JobHandler<N extends JobName> = (data: JobData<N>, job: Job) => Promise<JobResult<N>>;
export type JobHandlers<Q extends QueueName> = { [N in JobNameOn<Q>]: JobHandler<N> };

export interface JobWorkerOptions<Q extends QueueName> {
  queue: Q;
  bus: BusConnection;
  logger: Logger;
  handlers: JobHandlers<Q>;
  concurrency?: number;
}

/** A job that can never succeed (its data does not read, the work is refused): failed without retries. */
export class JobRefused extends UnrecoverableError {}

/**
 * Starts a worker answering the jobs of one queue, as declared in @tthc/contracts: the data is
 * parsed before the handler sees it, and the result parsed before it is returned. Refuses to start
 * when a job of the queue has no handler (or a handler names a job of another queue), so a new job
 * cannot be silently dropped. Data that does not read fails the job at once, without retries.
 */
export function startJobWorker<Q extends QueueName>(options: JobWorkerOptions<Q>): Worker {
  const expected = new Set<string>(jobsOn(options.queue));
  const given = Object.keys(options.handlers);
  const missing = [...expected].filter((n) => !given.includes(n));
  const stray = given.filter((n) => !expected.has(n));
  if (missing.length > 0 || stray.length > 0) {
    throw new Error(
      `job worker of ${options.queue}: ${[missing.length ? `no handler for ${missing.join(', ')}` : '', stray.length ? `${stray.join(', ')} not on this queue` : ''].filter(Boolean).join('; ')}`,
    );
  }
  const handlers = options.handlers as unknown as Record<string, JobHandler<JobName>>;
  const worker = new Worker(options.queue, (job: Job) => consumeSpan(options.queue, job, () => answer(job)), {
    connection: options.bus.redis,
    prefix: options.bus.prefix,
    concurrency: options.concurrency ?? 4,
    ...jobRetention,
  });
  async function answer(job: Job) {
    const name = job.name as JobName;
    const handler = expected.has(name) ? handlers[name] : undefined;
    if (!handler) throw new JobRefused(`${options.queue} has no job ${job.name}`);
    let data: unknown;
    try {
      data = jobs[name].data.parse(job.data);
    } catch (err) {
      throw new JobRefused(
        `${job.name}: the data does not read: ${err instanceof ZodError ? err.issues.map((i) => `${i.path.join('.') || '/'}: ${i.message}`).join('; ') : String(err)}`,
      );
    }
    return jobs[name].result.parse(await handler(data as never, job));
  }
  worker.on('failed', (job, err) =>
    options.logger.error({ jobId: job?.id, job: job?.name, queue: options.queue, err }, 'job failed'),
  );
  worker.on('error', (err) => options.logger.error({ err, queue: options.queue }, 'job worker error'));
  return worker;
}

/**
 * Adds jobs to the queues the contracts name, validating the data first (a producer cannot
 * enqueue what the worker would refuse). One BullMQ queue per name, closed together.
 */
export class JobProducer {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly bus: BusConnection) {}

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: this.bus.redis,
        prefix: this.bus.prefix,
        defaultJobOptions: { ...jobRetention },
      });
      this.queues.set(name, q);
    }
    return q;
  }

  async add<N extends JobName>(name: N, data: JobInput<N>, opts: JobsOptions = {}): Promise<Job> {
    const parsed = jobs[name].data.parse(data);
    return this.queue(jobs[name].queue).add(name, withTraceparent(parsed), opts);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
