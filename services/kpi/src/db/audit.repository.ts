import type { Identity } from '@tthc/contracts';
import type { Executor } from '@tthc/db';
import type { KpiDb } from './schema';

/** Who acts: the person when the gateway names one, else the key or token subject. */
export interface Actor {
  sub: string;
  name: string | null;
}

export const actorOf = (identity: Identity | null | undefined): Actor => ({
  sub: identity?.person?.id ?? identity?.sub ?? 'unknown',
  name: identity?.person?.name ?? null,
});

export type AuditEntity =
  'target' | 'framework' | 'manual_score' | 'framework_result' | 'plan_task' | 'register';

export interface AuditEntry {
  entity: AuditEntity;
  entityId: string;
  agencyCode: string | null;
  action: 'created' | 'changed' | 'deleted' | 'imported' | 'published' | 'scored';
  before: unknown;
  after: unknown;
}

/** Records a change in the caller's transaction, so the trail and the change stand or fall together. */
export async function audit(tx: Executor<KpiDb>, actor: Actor, e: AuditEntry): Promise<void> {
  await tx
    .insertInto('kpi_audit')
    .values({
      actor: actor.sub,
      actor_name: actor.name,
      entity: e.entity,
      entity_id: e.entityId,
      agency_code: e.agencyCode,
      action: e.action,
      before: e.before === null || e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === null || e.after === undefined ? null : JSON.stringify(e.after),
    })
    .execute();
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  actorName: string | null;
  entity: string;
  entityId: string;
  agencyCode: string | null;
  action: string;
  before: unknown;
  after: unknown;
}

/** The trail, newest first, of one record or of a kind of record, within the agencies given (null: all). */
export async function auditTrail(
  db: Executor<KpiDb>,
  q: { entity?: string | undefined; entityId?: string | undefined; agencyCodes: readonly string[] | null },
  before: number | undefined,
  limit: number,
): Promise<AuditRow[]> {
  let query = db.selectFrom('kpi_audit').selectAll().orderBy('id', 'desc').limit(limit);
  if (q.entity) query = query.where('entity', '=', q.entity);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  // A scoped reader sees the trail of its agencies' records (frameworks, province-wide, are not theirs).
  if (q.agencyCodes !== null) {
    if (q.agencyCodes.length === 0) return [];
    query = query.where('agency_code', 'in', [...q.agencyCodes]);
  }
  if (before !== undefined) query = query.where('id', '<', before);
  return (await query.execute()).map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    actorName: r.actor_name,
    entity: r.entity,
    entityId: r.entity_id,
    agencyCode: r.agency_code,
    action: r.action,
    before: r.before,
    after: r.after,
  }));
}
