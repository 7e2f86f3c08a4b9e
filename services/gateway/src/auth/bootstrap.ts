import { randomUUID } from 'node:crypto';
import type { Db } from '@tthc/db';
import { audit, findApiKeyByPrefix, insertApiKey } from '../db/api-key.repository';
import type { GatewayDb } from '../db/schema';
import { hashKey, parseKey } from './api-keys';

/**
 * Installs the administrator key the start command generated (there is no default secret);
 * idempotent, so restarts with the same key change nothing.
 */
export async function bootstrapAdminKey(db: Db<GatewayDb>, key: string): Promise<void> {
  const parsed = parseKey(key);
  if (!parsed) throw new Error('BOOTSTRAP_ADMIN_API_KEY is not an API key of this gateway');
  if (await findApiKeyByPrefix(db, parsed.prefix)) return;
  const id = randomUUID();
  await insertApiKey(db, {
    id,
    prefix: parsed.prefix,
    hash: hashKey(key),
    name: 'Quản trị (khởi tạo)',
    owner: 'bootstrap',
    roles: ['admin'],
    agency_code: null,
    expires_at: null,
    revoked_at: null,
    last_used_at: null,
    created_by: 'bootstrap',
  });
  await audit(db, { actor: 'bootstrap', action: 'api_key.bootstrap', target: `api_key:${id}`, detail: {} });
}
