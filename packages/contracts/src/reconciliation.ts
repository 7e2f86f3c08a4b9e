import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DossierStatus, EventEnvelope } from './events';

const isoDate = z.iso.date();

/**
 * One cell of a reconciliation: the dossiers an agency received on a civil day (Asia/Ho_Chi_Minh)
 * that are now in a status, as a count and a digest of their ids (reconciliationDigest), so two
 * services compare cells without sending every id.
 */
export const ReconciliationCell = z.object({
  agencyCode: z.string(),
  day: isoDate,
  status: DossierStatus,
  count: z.number().int().nonnegative(),
  digest: z.string(),
});
export type ReconciliationCell = z.infer<typeof ReconciliationCell>;

/** The digest both sides compute over a cell's dossier ids: md5 of the sorted lowercase ids joined by commas. */
export function reconciliationDigest(ids: readonly string[]): string {
  return createHash('md5')
    .update(
      [...ids]
        .map((i) => i.toLowerCase())
        .sort()
        .join(','),
    )
    .digest('hex');
}

/** intake.jobs: kpi sends its cells for a span of receipt days; intake answers its own, and the dossiers of every cell that differs. */
export const ReconciliationCountsJob = z.object({
  from: isoDate,
  to: isoDate,
  /** Null: every agency. */
  agencyCodes: z.array(z.string()).nullable(),
  cells: z.array(ReconciliationCell).max(100_000),
});

export const ReconciliationCountsResult = z.object({
  from: isoDate,
  to: isoDate,
  cells: z.array(ReconciliationCell),
  /** For each cell whose count or digest differs on the two sides: intake's dossiers in it (none when intake has no such cell). */
  differing: z.array(
    z.object({
      agencyCode: z.string(),
      day: isoDate,
      status: DossierStatus,
      dossiers: z.array(z.object({ id: z.uuid(), code: z.string(), status: DossierStatus })),
    }),
  ),
});

/** intake.jobs: the events intake emitted for some dossiers, in version order, to be applied again by the asker. */
export const ReplayDossierEventsJob = z.object({ dossierIds: z.array(z.uuid()).min(1).max(500) });
export const ReplayDossierEventsResult = z.object({
  events: z.array(EventEnvelope),
  /** Dossiers intake does not hold (or holds no events of). */
  missing: z.array(z.uuid()),
});

/** kpi.jobs: run one reconciliation (its span is on the run), or repair its drift by replaying events. */
export const ReconcileJob = z.object({ runId: z.uuid() });
export const ReconcileResult = z.object({
  runId: z.uuid(),
  status: z.enum(['done', 'failed']),
  drift: z.number().int().nonnegative(),
});
export const RepairJob = z.object({ runId: z.uuid() });
export const RepairResult = z.object({
  runId: z.uuid(),
  replayedDossiers: z.number().int().nonnegative(),
  replayedEvents: z.number().int().nonnegative(),
  notInIntake: z.number().int().nonnegative(),
});

/** kpi.jobs: the nightly reconciliation (a repeatable job): reconciles the last `days` receipt days. */
export const NightlyReconcileJob = z.object({ days: z.number().int().min(1).max(400) });
