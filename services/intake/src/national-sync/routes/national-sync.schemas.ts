import { DossierStatus } from '@tthc/contracts';
import { z } from 'zod';
import type { DeadLetter as DeadLetterRow } from '../db/national-sync.repository';
import type { Selectable } from 'kysely';
import type { NationalSyncRunTable, NationalSyncStateTable } from '../db/national-sync.schema';
import { CURRENT_NATIONAL_MAPPING, NationalMapping } from '../domain/mapping';

const instant = z.iso.datetime({ offset: true });
const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export const MappingVersion = z
  .object({
    version: z.number().int().positive(),
    note: z.string().nullable(),
    createdBy: z.string(),
    createdAt: instant,
    mapping: NationalMapping,
  })
  .meta({
    id: 'NationalMappingVersion',
    examples: [
      {
        version: 1,
        note: 'the national mapping when the sync was built',
        createdBy: 'seed',
        createdAt: '2026-12-02T01:00:00.000Z',
        mapping: CURRENT_NATIONAL_MAPPING,
      },
    ],
  });

export const DeadLetter = z
  .object({
    pushId: z.uuid(),
    dossierCode: z.string(),
    version: z.number().int().meta({ description: 'the dossier version the push carries' }),
    reason: z.string().meta({ description: 'what queued it: the event type, repush, reconciliation' }),
    attempts: z.number().int(),
    round: z.number().int().meta({ description: '1, then one more per re-push' }),
    queuedAt: instant,
    deadAt: instant,
    lastError: z.string().nullable(),
  })
  .meta({
    id: 'NationalDeadLetter',
    examples: [
      {
        pushId: '0b5d3a52-8f0e-4c39-9d61-2f1f7e1a9c11',
        dossierCode: '000.00.17.H55-261202-0001',
        version: 3,
        reason: 'dossier.status_changed',
        attempts: 12,
        round: 1,
        queuedAt: '2026-12-02T02:00:00.000Z',
        deadAt: '2026-12-05T02:00:00.000Z',
        lastError: 'POST /dossiers: HTTP 503 a text/html, not JSON (gave up after 12 attempts)',
      },
    ],
  });

export const toDeadLetter = (r: DeadLetterRow): z.infer<typeof DeadLetter> => ({
  pushId: r.id,
  dossierCode: r.code,
  version: r.dossier_version,
  reason: r.reason,
  attempts: r.attempts,
  round: r.round,
  queuedAt: iso(r.created_at)!,
  deadAt: iso(r.dead_at)!,
  lastError: r.last_error,
});

export const RepushAnswer = z
  .object({
    dossiers: z.number().int().meta({ description: 'dossiers whose pushes went back in line' }),
    queued: z.boolean(),
  })
  .meta({ id: 'NationalRepush', examples: [{ dossiers: 1, queued: true }] });

const syncPhase = z
  .enum(['not_queued', 'pending', 'synced', 'dead_letter'])
  .meta({ description: 'dead_letter: a push is on the dead-letter list and holds the dossier' });

export const SyncStatus = z
  .object({
    dossierCode: z.string(),
    phase: syncPhase,
    pendingSince: instant.nullable(),
    lastPushedVersion: z.number().int().nullable(),
    lastPushedStatus: DossierStatus.nullable(),
    receiptSyncedAt: instant
      .nullable()
      .meta({ description: 'when the receipt first reached the national side (what the indicator counts)' }),
    syncedAt: instant.nullable(),
    lastError: z.string().nullable(),
    attempts: z.number().int(),
    deadAt: instant.nullable(),
    pushes: z.array(
      z.object({
        id: z.uuid(),
        version: z.number().int(),
        reason: z.string(),
        status: z.enum(['pending', 'delivered', 'dead']),
        attempts: z.number().int(),
        round: z.number().int(),
        queuedAt: instant,
        deliveredAt: instant.nullable(),
        deadAt: instant.nullable(),
        lastError: z.string().nullable(),
      }),
    ),
  })
  .meta({
    id: 'NationalSyncStatus',
    examples: [
      {
        dossierCode: '000.00.17.H55-261202-0001',
        phase: 'synced',
        pendingSince: null,
        lastPushedVersion: 2,
        lastPushedStatus: 'processing',
        receiptSyncedAt: '2026-12-02T02:00:01.000Z',
        syncedAt: '2026-12-02T03:00:01.000Z',
        lastError: null,
        attempts: 0,
        deadAt: null,
        pushes: [
          {
            id: '4f9c2f0e-0b7c-4a57-8d43-5b9a2c7e1d10',
            version: 1,
            reason: 'dossier.received',
            status: 'delivered',
            attempts: 1,
            round: 1,
            queuedAt: '2026-12-02T02:00:00.000Z',
            deliveredAt: '2026-12-02T02:00:01.000Z',
            deadAt: null,
            lastError: null,
          },
        ],
      },
    ],
  });

type StateRow = Omit<NationalSyncStateTable, 'attempts' | 'updated_at'> & { attempts: number };

export function toState(code: string, s: StateRow | undefined): Omit<z.infer<typeof SyncStatus>, 'pushes'> {
  return {
    dossierCode: code,
    phase: !s ? 'not_queued' : s.dead_at ? 'dead_letter' : s.pending_since ? 'pending' : 'synced',
    pendingSince: iso(s?.pending_since),
    lastPushedVersion: s?.last_pushed_version ?? null,
    lastPushedStatus: (s?.last_pushed_status ?? null) as DossierStatus | null,
    receiptSyncedAt: iso(s?.receipt_synced_at),
    syncedAt: iso(s?.synced_at),
    lastError: s?.last_error ?? null,
    attempts: s?.attempts ?? 0,
    deadAt: iso(s?.dead_at),
  };
}

export const ReconciliationRun = z
  .object({
    id: z.uuid(),
    trigger: z.string().meta({ description: 'schedule, or the operator who asked' }),
    since: instant.meta({ description: 'dossiers changed from this instant were compared' }),
    startedAt: instant,
    finishedAt: instant.nullable(),
    checked: z.number().int(),
    differing: z.number().int(),
    error: z.string().nullable(),
    differences: z.array(
      z.object({
        code: z.string(),
        kinds: z
          .array(z.string())
          .meta({ description: 'missing, status, receivedAt, dueAt, endedAt, mapping' }),
        ours: z.record(z.string(), z.unknown()).nullable(),
        theirs: z.record(z.string(), z.unknown()).nullable(),
        repushed: z.boolean(),
      }),
    ),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'pass as ?cursor= for the next page of differences' }),
  })
  .meta({
    id: 'NationalReconciliationRun',
    examples: [
      {
        id: '7d1e9a4c-3b2f-4e6a-9c8d-1a2b3c4d5e6f',
        trigger: 'schedule',
        since: '2026-11-30T18:30:00.000Z',
        startedAt: '2026-12-02T18:30:00.000Z',
        finishedAt: '2026-12-02T18:30:04.000Z',
        checked: 120,
        differing: 1,
        error: null,
        differences: [
          {
            code: '000.00.17.H55-261202-0001',
            kinds: ['missing'],
            ours: { status: 'processing', nationalStatus: 4 },
            theirs: null,
            repushed: true,
          },
        ],
        nextCursor: null,
      },
    ],
  });

export const toRun = (r: Selectable<NationalSyncRunTable>) => ({
  id: r.id,
  trigger: r.trigger,
  since: iso(r.since)!,
  startedAt: iso(r.started_at)!,
  finishedAt: iso(r.finished_at),
  checked: r.checked,
  differing: r.differing,
  error: r.error,
});
