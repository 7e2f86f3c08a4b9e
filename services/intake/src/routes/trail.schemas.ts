import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

/**
 * One entry of an audit trail (a dossier's or a feedback's): every change, who (role, agency),
 * when, from and to which status, what changed. One shape for every trail the intake keeps.
 */
export function trailEntry<S extends z.ZodType<string>>(status: S) {
  return z.object({
    version: z.number().int(),
    action: z.string(),
    fromStatus: status.nullable(),
    toStatus: status,
    actor: z.string(),
    actorRole: z.string().nullable(),
    actorAgency: z.string().nullable(),
    /** The person who acted, when known; `actor` is then the channel (an API key, a token subject). */
    actorName: z.string().nullable(),
    at: instant,
    payload: z.record(z.string(), z.unknown()),
  });
}

/** A trail row as the history tables keep it (the version column named for its subject). */
export interface TrailRow<S extends string> {
  action: string;
  from_status: S | null;
  to_status: S;
  actor: string;
  actor_role: string | null;
  actor_agency: string | null;
  actor_name: string | null;
  at: Date;
  payload: unknown;
}

export function toTrailEntry<S extends string>(row: TrailRow<S>, version: number) {
  return {
    version,
    action: row.action,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    actor: row.actor,
    actorRole: row.actor_role,
    actorAgency: row.actor_agency,
    actorName: row.actor_name,
    at: row.at.toISOString(),
    payload: row.payload as Record<string, unknown>,
  };
}
