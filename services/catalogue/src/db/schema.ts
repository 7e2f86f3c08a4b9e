import type { BusTables } from '@tthc/bus';
import type { Generated } from 'kysely';

export const SCHEMA = 'catalogue';

export interface FieldTable {
  code: string;
  name: string;
  created_at: Generated<Date>;
}

export interface ProcedureTable {
  id: string;
  code: string;
  name: string;
  field_code: string;
  agency_code: string;
  processing_days: number;
  online_level: 'full' | 'partial' | 'none';
  status: 'published' | 'abolished';
  version: number;
  effective_from: Date;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CatalogueDb extends BusTables {
  fields: FieldTable;
  procedures: ProcedureTable;
}
