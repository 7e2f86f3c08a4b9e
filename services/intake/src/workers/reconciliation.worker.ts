import { startJobWorker, type BusConnection } from '@tthc/bus';
import { addDays, vnInstant } from '@tthc/calendar';
import {
  queues,
  reconciliationDigest,
  type EventEnvelope,
  type EventType,
  type ReconciliationCell,
} from '@tthc/contracts';
import type { Db } from '@tthc/db';
import type { Logger } from '@tthc/service-kit';
import type { Worker } from 'bullmq';
import { dossierEventsEmitted, receivedByAgencyDayStatus } from '../db/reconciliation.repository';
import type { IntakeDb } from '../db/schema';

const cellKey = (c: Pick<ReconciliationCell, 'agencyCode' | 'day' | 'status'>) =>
  `${c.agencyCode}|${c.day}|${c.status}`;

/**
 * What kpi's reconciliation asks of intake over the queue (issue 13): intake's own counts of
 * received dossiers by agency, day and status, with the dossiers of every cell where kpi's facts
 * differ; and the events intake emitted for some dossiers, so kpi can apply them again.
 */
export function startReconciliationWorker(deps: {
  db: Db<IntakeDb>;
  bus: BusConnection;
  logger: Logger;
}): Worker {
  return startJobWorker({
    queue: queues.intakeJobs,
    bus: deps.bus,
    logger: deps.logger,
    concurrency: 2,
    handlers: {
      'intake.reconciliation-counts': async (data) => {
        const rows = await receivedByAgencyDayStatus(deps.db, {
          fromInstant: vnInstant(data.from, 0),
          untilInstant: vnInstant(addDays(data.to, 1), 0),
          agencyCodes: data.agencyCodes,
        });
        const theirs = new Map(data.cells.map((c) => [cellKey(c), c]));
        const ours = new Map(rows.map((r) => [cellKey(r), r]));
        const cells = rows.map((r) => ({
          agencyCode: r.agencyCode,
          day: r.day,
          status: r.status,
          count: r.ids.length,
          digest: reconciliationDigest(r.ids),
        }));
        const differing = [
          ...cells.filter((c) => theirs.get(cellKey(c))?.digest !== c.digest),
          ...data.cells.filter((c) => !ours.has(cellKey(c))),
        ].map((c) => {
          const r = ours.get(cellKey(c));
          return {
            agencyCode: c.agencyCode,
            day: c.day,
            status: c.status,
            dossiers: r ? r.ids.map((id, i) => ({ id, code: r.codes[i] ?? '', status: r.status })) : [],
          };
        });
        return { from: data.from, to: data.to, cells, differing };
      },
      'intake.replay-dossier-events': async (data) => {
        const rows = await dossierEventsEmitted(deps.db, data.dossierIds);
        const events: EventEnvelope[] = rows.map((r) => ({
          id: r.id,
          type: r.type as EventType,
          schemaVersion: r.schema_version,
          source: r.source,
          entityId: r.entity_id,
          entityVersion: r.entity_version,
          occurredAt: new Date(r.occurred_at).toISOString(),
          requestId: r.request_id,
          payload: r.payload,
        }));
        const found = new Set(rows.map((r) => r.entity_id));
        return { events, missing: data.dossierIds.filter((id) => !found.has(id)) };
      },
    },
  });
}
