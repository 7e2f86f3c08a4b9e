import type { BusTables } from '@tthc/bus';
import type { Channel, OnlineLevel } from '@tthc/contracts';
import type { Generated } from 'kysely';

export const SCHEMA = 'intake';

/** The intake's copy of the catalogue, kept from procedure.* events (never read across schemas). */
export interface ProcedureCopyTable {
  code: string;
  procedure_id: string;
  version: number;
  name: string;
  field_code: string;
  agency_code: string;
  processing_days: number;
  online_level: OnlineLevel;
  status: 'published' | 'abolished';
  updated_at: Generated<Date>;
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
  agency_code: string;
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
  procedures: ProcedureCopyTable;
  dossiers: DossierTable;
  dossier_serials: DossierSerialTable;
}
