import type { Role } from '@tthc/contracts';
import type { Generated } from 'kysely';

export const SCHEMA = 'gateway';

/** API keys of systems (portal, desk software, reporting tools): only a hash is kept. */
export interface ApiKeyTable {
  id: string;
  /** The public part of the key (tthc_<prefix>_...), to find the row without scanning hashes. */
  prefix: string;
  hash: string;
  name: string;
  owner: string;
  roles: Role[];
  agency_code: string | null;
  /** The system may state the officer acting on its behalf (X-Acting-Officer-* headers). */
  may_state_officer: Generated<boolean>;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_by: string;
  created_at: Generated<Date>;
}

/** Who did what as administrator, append-only. */
export interface AdminAuditTable {
  id: Generated<string>;
  actor: string;
  action: string;
  target: string;
  detail: unknown;
  at: Generated<Date>;
}

export interface GatewayDb {
  api_keys: ApiKeyTable;
  admin_audit: AdminAuditTable;
}
