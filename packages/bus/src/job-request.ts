import { jobs, type JobData, type JobName, type JobResult, type QueueName } from '@tthc/contracts';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobRetention, type BusConnection } from './redis';

/**
 * Asks another service a question over its jobs queue and waits for the answer (a BullMQ job
 * whose return value is the answer), within a time limit. For the rare synchronous need across a
 * service boundary; figures for reports go through flows instead.
 */
export class JobRequester {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly eventsConnection: Redis;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly bus: BusConnection,
    queueName: QueueName,
  ) {
    this.queue = new Queue(queueName, { connection: bus.redis, prefix: bus.prefix, defaultJobOptions: { ...jobRetention, attempts: 1 } });
    // QueueEvents blocks on its connection: it gets its own, closed with it.
    this.eventsConnection = bus.redis.duplicate();
    this.events = new QueueEvents(queueName, { connection: this.eventsConnection, prefix: bus.prefix });
  }

  /** The answer, validated against the job's contract; throws on a timeout or a failed job. */
  async ask<N extends JobName>(name: N, data: JobData<N>, timeoutMs: number): Promise<JobResult<N>> {
    this.ready ??= this.events.waitUntilReady().then(() => undefined);
    await this.ready;
    const contract = jobs[name];
    const job = await this.queue.add(name, contract.data.parse(data), { removeOnComplete: { age: 60 }, removeOnFail: { age: 3600 } });
    const result: unknown = await job.waitUntilFinished(this.events, timeoutMs);
    return contract.result.parse(result) as JobResult<N>;
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    this.eventsConnection.disconnect();
  }
}
