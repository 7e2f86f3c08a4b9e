import { emitEvent, PollingLoop } from '@tthc/bus';
import { withTransaction } from '@tthc/db';
import { dossierRef } from '../../commands/dossier-events';
import { NationalCallError, type NationalClient } from '../client/national-client';
import {
  claimHeads,
  currentMapping,
  dossierRow,
  markDead,
  markDelivered,
  markRetry,
  type PushRow,
} from '../db/national-sync.repository';
import { withSync } from '../db/national-sync.schema';
import { NationalMapping } from '../domain/mapping';
import { MappingError, toNationalBody, type NationalRecord } from '../domain/national-record';
import { pushesQueued, type NationalSyncDeps } from '../national-sync.deps';
import { nationalSyncMetrics } from '../national-sync.metrics';

const BATCH = 50;

/** What becomes of a failed attempt: tried again after a delay, or the dead-letter list. */
export function afterFailure(
  err: unknown,
  attemptsMade: number,
  ageMs: number,
  c: Pick<
    NationalSyncDeps['config'],
    | 'NATIONAL_SYNC_MAX_ATTEMPTS'
    | 'NATIONAL_SYNC_MAX_AGE_HOURS'
    | 'NATIONAL_SYNC_BACKOFF_MS'
    | 'NATIONAL_SYNC_MAX_BACKOFF_MS'
  >,
): { dead: true; reason: string } | { dead: false; reason: string; delayMs: number } {
  const reason =
    err instanceof MappingError
      ? `mapping: ${err.message}`
      : err instanceof Error
        ? err.message
        : String(err);
  if (err instanceof MappingError || (err instanceof NationalCallError && !err.retryable))
    return { dead: true, reason };
  if (attemptsMade >= c.NATIONAL_SYNC_MAX_ATTEMPTS)
    return { dead: true, reason: `${reason} (gave up after ${attemptsMade} attempts)` };
  if (ageMs >= c.NATIONAL_SYNC_MAX_AGE_HOURS * 3_600_000)
    return {
      dead: true,
      reason: `${reason} (still failing ${c.NATIONAL_SYNC_MAX_AGE_HOURS} h after it was queued)`,
    };
  const delayMs = Math.min(
    c.NATIONAL_SYNC_MAX_BACKOFF_MS,
    c.NATIONAL_SYNC_BACKOFF_MS * 2 ** (attemptsMade - 1),
  );
  return { dead: false, reason, delayMs };
}

/**
 * Delivers the queued pushes to the national endpoint, one in flight per dossier and in order
 * (claimHeads), several dossiers at once. A failed push waits with exponential backoff on its
 * row while its dossier's later pushes wait behind it; one that will not go through (refused by
 * the national side, an unknown code in the mapping, out of attempts or too old) goes to the
 * dead-letter list, holding its dossier until an operator re-pushes it. The first delivered push
 * carrying the receipt emits dossier.national_synced in the same transaction (kpi counts it).
 */
export class NationalPusher {
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: NationalSyncDeps,
    private readonly client: NationalClient,
  ) {
    this.loop = new PollingLoop({
      name: 'national sync pusher',
      logger: deps.logger,
      round: () => this.round(),
      batchSize: BATCH,
      idleMs: deps.config.NATIONAL_SYNC_INTERVAL_MS,
      signal: pushesQueued,
    });
  }

  /** One round: claims the due heads and pushes them; returns how many it tried. */
  async round(): Promise<number> {
    const db = withSync(this.deps.db);
    const mapping = NationalMapping.parse((await currentMapping(db)).document);
    // A lease longer than one call with its token request: no other replica takes the push meanwhile.
    const lease = 3 * this.deps.config.NATIONAL_SYNC_TIMEOUT_MS + 5_000;
    const heads = await claimHeads(db, BATCH, lease);
    let next = 0;
    const worker = async () => {
      while (next < heads.length) await this.pushOne(heads[next++]!, mapping);
    };
    await Promise.all(
      Array.from({ length: Math.min(this.deps.config.NATIONAL_SYNC_CONCURRENCY, heads.length) }, worker),
    );
    return heads.length;
  }

  private async pushOne(push: PushRow, mapping: NationalMapping): Promise<void> {
    const db = withSync(this.deps.db);
    const record = push.record as NationalRecord;
    try {
      await this.client.push(mapping.paths.push, toNationalBody(record, mapping));
    } catch (err) {
      const now = this.deps.clock();
      const next = afterFailure(
        err,
        push.attempts + 1,
        now.getTime() - new Date(push.created_at).getTime(),
        this.deps.config,
      );
      const log = {
        dossierId: push.dossier_id,
        version: push.dossier_version,
        attempt: push.attempts + 1,
        reason: next.reason,
      };
      if (next.dead) {
        await withTransaction(db, (tx) => markDead(tx, push, next.reason, now));
        nationalSyncMetrics.attempts.inc({ outcome: 'dead' });
        this.deps.logger.error(log, 'national sync: push dead-lettered');
      } else {
        await withTransaction(db, (tx) => markRetry(tx, push, next.reason, next.delayMs, now));
        nationalSyncMetrics.attempts.inc({ outcome: 'retry' });
        this.deps.logger.warn({ ...log, retryInMs: next.delayMs }, 'national sync: push failed, will retry');
      }
      return;
    }
    await withTransaction(db, async (tx) => {
      const at = this.deps.clock();
      const { receiptSyncedBefore } = await markDelivered(tx, push, record, at);
      if (receiptSyncedBefore !== null || record.receivedAt === null) return;
      const d = await dossierRow(tx, push.dossier_id);
      if (!d) return;
      await emitEvent(
        tx,
        'dossier.national_synced',
        {
          ...dossierRef(d),
          receivedAt: record.receivedAt,
          syncedAt: at.toISOString(),
          version: record.version,
        },
        { source: 'intake', entityId: d.id, entityVersion: record.version, occurredAt: at },
      );
    });
    nationalSyncMetrics.attempts.inc({ outcome: 'delivered' });
    nationalSyncMetrics.lastDelivered.set(Date.now() / 1000);
    // The dossier's next push, if any, is due now.
    this.loop.nudge();
  }

  runOnce(): Promise<number> {
    return this.loop.runOnce();
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
