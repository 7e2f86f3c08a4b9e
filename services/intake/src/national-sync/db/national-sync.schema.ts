import type { Executor } from '@tthc/db';
import type { Generated } from 'kysely';
import type { IntakeDb } from '../../db/schema';

/** One version of the national mapping; the highest is in force. */
export interface NationalSyncMappingTable {
  version: number;
  document: unknown;
  note: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

export type PushStatus = 'pending' | 'delivered' | 'dead';

/** One push of a dossier's national record, delivered in (version, seq) order per dossier. */
export interface NationalSyncPushTable {
  id: string;
  seq: Generated<string>;
  dossier_id: string;
  dossier_version: number;
  /** What made it: the event type, a re-push, the reconciliation. */
  reason: string;
  record: unknown;
  status: Generated<PushStatus>;
  attempts: Generated<number>;
  round: Generated<number>;
  available_at: Generated<Date>;
  created_at: Generated<Date>;
  delivered_at: Date | null;
  dead_at: Date | null;
  last_error: string | null;
}

/** Where a dossier's sync stands (kpi learns of the receipt through dossier.national_synced). */
export interface NationalSyncStateTable {
  dossier_id: string;
  code: string;
  agency_code: string;
  pending_since: Date | null;
  last_pushed_version: number | null;
  last_pushed_status: string | null;
  receipt_synced_at: Date | null;
  synced_at: Date | null;
  last_error: string | null;
  attempts: Generated<number>;
  dead_at: Date | null;
  updated_at: Generated<Date>;
}

export interface NationalSyncRunTable {
  id: string;
  trigger: string;
  since: Date;
  started_at: Generated<Date>;
  finished_at: Date | null;
  checked: Generated<number>;
  differing: Generated<number>;
  error: string | null;
}

export interface NationalSyncDifferenceTable {
  id: Generated<string>;
  run_id: string;
  dossier_id: string | null;
  code: string;
  kinds: string[];
  ours: unknown;
  theirs: unknown;
  repushed: Generated<boolean>;
}

export interface NationalSyncTables {
  national_sync_mappings: NationalSyncMappingTable;
  national_sync_pushes: NationalSyncPushTable;
  national_sync_state: NationalSyncStateTable;
  national_sync_runs: NationalSyncRunTable;
  national_sync_differences: NationalSyncDifferenceTable;
}

export type SyncDb = IntakeDb & NationalSyncTables;
export type SyncExecutor = Executor<SyncDb>;

/** The module's tables on an intake connection or transaction (the same database and schema). */
export const withSync = (db: Executor<IntakeDb> | Executor<any>): SyncExecutor =>
  db as unknown as SyncExecutor;
