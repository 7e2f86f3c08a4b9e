import { jobs, type JobInput, type JobName, type JobResult, type QueueName } from '@tthc/contracts';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BusConnection } from './redis';
import { withTraceparent } from './trace-context';

interface Channel {
  queue: Queue;
  events: QueueEvents;
  /** QueueEvents blocks on its connection: it gets its own, closed with it. */
  connection: Redis;
  ready: Promise<unknown>;
}

/**
 * Asks another service a question over the queue its contract names and waits for the answer (a
 * BullMQ job whose return value is the answer), within a time limit. For the rare synchronous
 * need across a service boundary; figures for reports go through flows instead.
 */
export class JobRequester {
  private readonly channels = new Map<QueueName, Channel>();

  constructor(private readonly bus: BusConnection) {}

  private channel(name: QueueName): Channel {
    let c = this.channels.get(name);
    if (!c) {
      const connection = this.bus.redis.duplicate();
      const events = new QueueEvents(name, { connection, prefix: this.bus.prefix });
      const queue = new Queue(name, {
        connection: this.bus.redis,
        prefix: this.bus.prefix,
        defaultJobOptions: { attempts: 1 },
      });
      c = { queue, events, connection, ready: events.waitUntilReady() };
      this.channels.set(name, c);
    }
    return c;
  }

  /** The answer, validated against the job's contract; throws on a timeout or a failed job. */
  async ask<N extends JobName>(name: N, data: JobInput<N>, timeoutMs: number): Promise<JobResult<N>> {
    const contract = jobs[name];
    const c = this.channel(contract.queue);
    await c.ready;
    const job = await c.queue.add(name, withTraceparent(contract.data.parse(data)), {
      removeOnComplete: { age: 60 },
      removeOnFail: { age: 3600 },
    });
    const result: unknown = await job.waitUntilFinished(c.events, timeoutMs);
    return contract.result.parse(result) as JobResult<N>;
  }

  async close(): Promise<void> {
    for (const c of this.channels.values()) {
      await c.events.close();
      await c.queue.close();
      c.connection.disconnect();
    }
    this.channels.clear();
  }
}
