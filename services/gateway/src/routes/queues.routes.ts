import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { allQueues } from '@tthc/contracts';
import { periodicGauge, type ServiceApp } from '@tthc/service-kit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const QUEUES_PATH = '/v1/admin/queues';
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Bull Board over every queue of the suite (the internal ones too), for administrators (the /v1/admin prefix is theirs in
 * the role table). A browser signs in with HTTP Basic: any user name, the API key as password.
 */
export async function queueRoutes(
  app: ServiceApp,
  deps: { redis: Redis; prefix: string },
): Promise<() => Promise<void>> {
  const open = allQueues.map((name) => new Queue(name, { connection: deps.redis, prefix: deps.prefix }));
  // The backlog and failures of every queue, for the operators' dashboard and alerts.
  periodicGauge(app.metricsRegistry, {
    name: 'queue_jobs',
    help: 'Jobs of each queue of the suite by state (waiting, active, delayed, failed and kept)',
    labelNames: ['queue', 'state'],
    everyMs: 10_000,
    read: async () =>
      (
        await Promise.all(
          open.map(async (q) => {
            const counts = await q.getJobCounts(...QUEUE_STATES);
            return QUEUE_STATES.map((state) => ({
              labels: { queue: q.name, state },
              value: counts[state] ?? 0,
            }));
          }),
        )
      ).flat(),
  });
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  createBullBoard({ queues: open.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter });
  await app.register(serverAdapter.registerPlugin() as never, { prefix: QUEUES_PATH });
  return async () => {
    await Promise.all(open.map((q) => q.close()));
  };
}
