import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { allQueues } from '@tthc/contracts';
import type { ServiceApp } from '@tthc/service-kit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const QUEUES_PATH = '/v1/admin/queues';

/**
 * Bull Board over every queue of the suite (the internal ones too), for administrators (the /v1/admin prefix is theirs in
 * the role table). A browser signs in with HTTP Basic: any user name, the API key as password.
 */
export async function queueRoutes(
  app: ServiceApp,
  deps: { redis: Redis; prefix: string },
): Promise<() => Promise<void>> {
  const open = allQueues.map((name) => new Queue(name, { connection: deps.redis, prefix: deps.prefix }));
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  createBullBoard({ queues: open.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter });
  await app.register(serverAdapter.registerPlugin() as never, { prefix: QUEUES_PATH });
  return async () => {
    await Promise.all(open.map((q) => q.close()));
  };
}
