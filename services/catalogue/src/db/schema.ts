import type { BusTables } from '@tthc/bus';
import type { Generated } from 'kysely';

export const SCHEMA = 'catalogue';

export type ProcedureStatus = 'draft' | 'published' | 'suspended' | 'abolished';
export type HistoryAction =
  'created' | 'updated' | 'published' | 'amended' | 'suspended' | 'resumed' | 'abolished' | 'imported';

export interface FieldTable {
  code: string;
  name: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AgencyTable {
  code: string;
  name: string;
  parent_code: string | null;
  level: 'province' | 'district' | 'commune';
  kind: string;
  /** Agencies this desk receives dossiers for (a provincial service centre: the departments). */
  receives_for: Generated<string[]>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One row per procedure: its identity, current status and the version counter used as ETag. */
export interface ProcedureTable {
  id: string;
  code: string;
  status: ProcedureStatus;
  current_version: number;
  row_version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Each version of a procedure; a published one is in force over [valid_from, valid_to). */
export interface ProcedureVersionTable {
  procedure_id: string;
  version: number;
  state: 'draft' | 'published';
  code: string;
  name: string;
  field_code: string;
  deciding_agency_code: string;
  receiving_agency_code: string;
  authority_level: string;
  online_level: 'full' | 'partial' | 'none';
  legacy_level: number | null;
  fee_bearing: boolean;
  complete: boolean;
  inter_agency: boolean;
  content: unknown;
  content_hash: string;
  local_code: string | null;
  decision_number: string | null;
  decision_signed_on: string | null;
  national_published_on: string | null;
  valid_from: string | null;
  valid_to: string | null;
  created_at: Generated<Date>;
}

export interface ProcedureHistoryTable {
  id: Generated<string>;
  procedure_id: string;
  version: number;
  action: HistoryAction;
  status_after: ProcedureStatus;
  decision_number: string | null;
  decision_signed_on: string | null;
  effective_from: string | null;
  reason: string | null;
  actor: string;
  at: Generated<Date>;
}

/** The mapping that reads national records; every replacement kept, the highest version in force. */
export interface NationalMappingTable {
  version: number;
  document: unknown;
  created_by: string;
  created_at: Generated<Date>;
}

export type NationalPullOutcome = 'running' | 'not_modified' | 'applied' | 'partial' | 'failed';

/** One pull (one attempt) of the national source. */
export interface NationalPullTable {
  id: string;
  trigger: 'schedule' | 'operator';
  attempt: number;
  url: string;
  started_at: Date;
  finished_at: Date | null;
  outcome: NationalPullOutcome;
  http_status: number | null;
  etag: string | null;
  last_modified: string | null;
  mapping_version: number;
  counts: Generated<unknown>;
  refused: Generated<unknown>;
  error: string | null;
  requested_by: string;
}

export interface CatalogueDb extends BusTables {
  fields: FieldTable;
  agencies: AgencyTable;
  procedures: ProcedureTable;
  procedure_versions: ProcedureVersionTable;
  procedure_history: ProcedureHistoryTable;
  national_mappings: NationalMappingTable;
  national_pulls: NationalPullTable;
}
