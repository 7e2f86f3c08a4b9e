import type { EventType, Identity, TypedEvent } from '@tthc/contracts';
import { withTransaction } from '@tthc/db';
import { identityHeaders, openTestResources, TEST_INTERNAL_SECRET, type TestResources } from '@tthc/testkit';
import { buildApp } from '../../src/app';
import { SCHEMA, type KpiDb } from '../../src/db/schema';
import { kpiEventHandlers } from '../../src/facts/handlers';

export type AnyEvent = TypedEvent<EventType>;

/** Applies events as the consumer does (one transaction each), without a queue in between. */
export async function applyEvents(
  db: TestResources<KpiDb>['db'],
  events: readonly AnyEvent[],
): Promise<void> {
  for (const e of events) {
    const handler = kpiEventHandlers[e.type as keyof typeof kpiEventHandlers] as (
      event: AnyEvent,
      tx: unknown,
    ) => Promise<void>;
    await withTransaction(db, (tx) => handler(e, tx));
  }
}

export async function openKpi(): Promise<TestResources<KpiDb>> {
  return openTestResources<KpiDb>(SCHEMA);
}

/** Empties every fact and rollup table between tests of one file. */
export async function clearFacts(db: TestResources<KpiDb>['db']): Promise<void> {
  for (const t of [
    'dossier_events',
    'feedback_events',
    'dossier_waits',
    'dossier_due_dates',
    'dossiers',
    'rollup_received_daily',
    'rollup_ended_daily',
    'rollup_received_late',
    'rollup_ended_late',
    'procedure_versions',
    'procedure_status_changes',
    'feedbacks',
    'agencies_seen',
    'processed_events',
    'dead_letters',
  ] as const) {
    await db.deleteFrom(t).execute();
  }
}

/** The kpi app on a test database, called with a signed identity (a province-wide reporter by default). */
export async function startKpiApp(t: TestResources<KpiDb>) {
  const app = await buildApp({
    config: { INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET },
    logger: t.logger,
    db: t.db,
    redis: t.redis,
    queuePrefix: t.bus.prefix,
    clock: () => new Date(),
  });
  const get = async (url: string, identity: Partial<Identity> = {}) => {
    const res = await app.inject({
      method: 'GET',
      url,
      headers: await identityHeaders({
        sub: 'reporter-1',
        kind: 'officer',
        roles: ['reporter'],
        agencyCode: null,
        agencyScope: null,
        ...identity,
      }),
    });
    return {
      status: res.statusCode,
      type: String(res.headers['content-type'] ?? ''),
      body: res.body ? tryJson(res.body) : undefined,
      text: res.body,
    };
  };
  return { app, get };
}

function tryJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
