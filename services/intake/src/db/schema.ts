import type { BusTables } from '@tthc/bus';
import type { Channel, OnlineLevel } from '@tthc/contracts';
import type { Generated } from 'kysely';

export const SCHEMA = 'intake';

/**
 * The intake's copy of the catalogue, kept from procedure.* events (never read across schemas):
 * every published version with the date it takes effect, so a dossier is received under the
 * version in force on its receipt date.
 */
export interface ProcedureVersionCopyTable {
  code: string;
  version: number;
  procedure_id: string;
  name: string;
  field_code: string;
  deciding_agency_code: string;
  receiving_agency_code: string;
  online_level: OnlineLevel;
  methods: unknown;
  components: unknown;
  inter_agency: unknown;
  fee_bearing: boolean;
  valid_from: string;
  updated_at: Generated<Date>;
}

/** Status changes of a procedure from their effective dates (published, suspended, abolished). */
export interface ProcedureStatusCopyTable {
  code: string;
  effective_from: string;
  status: 'published' | 'suspended' | 'abolished';
  event_version: number;
}

export type DossierStatus =
  | 'submitted'
  | 'received'
  | 'refused'
  | 'processing'
  | 'awaiting_supplement'
  | 'awaiting_payment'
  | 'withdrawn'
  | 'stopped'
  | 'resolved'
  | 'returned';

export interface DossierTable {
  id: string;
  code: string;
  procedure_code: string;
  procedure_version: number;
  field_code: string;
  /** The agency that handles (decides) the dossier; the code carries the receiving agency. */
  agency_code: string;
  receiving_agency_code: string;
  channel: Channel;
  status: DossierStatus;
  applicant_kind: 'person' | 'organisation';
  applicant_name: string;
  /** Personal data (ID number, phone, e-mail, address): returned only to handlers, never logged. */
  applicant_contact: unknown;
  received_at: Date;
  due_at: Date | null;
  version: number;
  created_at: Generated<Date>;
}

/** Serial of dossier codes per agency and receipt day; a row lock makes it safe under concurrency. */
export interface DossierSerialTable {
  agency_code: string;
  day: string;
  last_serial: number;
}

export interface IntakeDb extends BusTables {
  procedure_versions: ProcedureVersionCopyTable;
  procedure_status: ProcedureStatusCopyTable;
  dossiers: DossierTable;
  dossier_serials: DossierSerialTable;
}
