import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The sync's counters, one set per process (the pusher and the routes share it), registered on
 * the service's registry by registerNationalSync so /metrics shows them.
 */
export const nationalSyncMetrics = {
  attempts: new Counter({
    name: 'national_sync_push_attempts_total',
    help: 'Pushes to the national portal by outcome: delivered, retry (will be tried again), dead (on the dead-letter list)',
    labelNames: ['outcome'] as const,
    registers: [],
  }),
  lastDelivered: new Gauge({
    name: 'national_sync_last_delivered_seconds',
    help: 'Unix time of the last push the national portal accepted',
    registers: [],
  }),
};

export function registerNationalSyncMetrics(registry: Registry): void {
  for (const m of Object.values(nationalSyncMetrics))
    if (!registry.getSingleMetric((m as unknown as { name: string }).name)) registry.registerMetric(m);
}
