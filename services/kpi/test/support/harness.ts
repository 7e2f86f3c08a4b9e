import type { EventType, TypedEvent } from '@tthc/contracts';
import { withTransaction } from '@tthc/db';
import { openTestResources, type TestResources } from '@tthc/testkit';
import { SCHEMA, type KpiDb } from '../../src/db/schema';
import { applyDossierEvent } from '../../src/facts/dossier.projector';
import { applyFeedbackEvent } from '../../src/facts/feedback.projector';
import { applyProcedureStatus, applyProcedureVersion } from '../../src/facts/procedure.projector';

export type AnyEvent = TypedEvent<EventType>;

/** Applies events as the consumer does (one transaction each), without a queue in between. */
export async function applyEvents(db: TestResources<KpiDb>['db'], events: readonly AnyEvent[]): Promise<void> {
  for (const e of events) {
    await withTransaction(db, async (tx) => {
      if (e.type.startsWith('dossier.')) await applyDossierEvent(tx, e as never, e.schemaVersion);
      else if (e.type.startsWith('feedback.')) await applyFeedbackEvent(tx, e as never, e.schemaVersion);
      else if (e.type === 'procedure.published' || e.type === 'procedure.changed') await applyProcedureVersion(tx, e as never);
      else await applyProcedureStatus(tx, e as never);
    });
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
    'procedure_versions',
    'procedure_status_changes',
    'feedbacks',
    'agencies_seen',
    'processed_events',
  ] as const) {
    await db.deleteFrom(t).execute();
  }
}
