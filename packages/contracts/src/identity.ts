import { z } from 'zod';

/** Header on which the gateway passes its signed identity assertion to the services. */
export const IDENTITY_HEADER = 'x-tthc-identity';
export const IDENTITY_ISSUER = 'tthc-gateway';
export const IDENTITY_AUDIENCE = 'tthc-services';

/** assessor: enters manual scores of a reform-index framework (scoped to agencies like an officer). */
export const Role = z.enum([
  'portal',
  'desk_officer',
  'processing_officer',
  'leader',
  'reporter',
  'admin',
  'assessor',
]);
export type Role = z.infer<typeof Role>;

/** Who the gateway says is calling. `anonymous` is a public route (e.g. citizen tracking). */
export const Identity = z.object({
  sub: z.string(),
  kind: z.enum(['system', 'officer', 'anonymous']),
  roles: z.array(Role),
  agencyCode: z.string().nullable(),
  /**
   * The agencies whose data the caller may see: its agency and every one below it. Null means
   * no agency restriction (a province-wide role). The services filter their queries by it.
   */
  agencyScope: z.array(z.string()).nullable().default(null),
  /**
   * The person acting: an officer signed in with a token, or the officer a desk system states
   * it acts for (an API key allowed to). The audit trail and the slips name this person; the key
   * or token subject (`sub`) is the channel. Null when no person is known.
   */
  person: z
    .object({
      id: z.string().min(1).max(120),
      name: z.string().min(1).max(200),
      unit: z.string().max(200).nullable(),
    })
    .nullable()
    .optional(),
  /**
   * The address the request came from, as the gateway established it (behind its trusted
   * proxies, the client's): what per-address limits and the personal-data access log use.
   */
  clientAddress: z.string().max(64).nullable().optional(),
});
export type Identity = z.infer<typeof Identity>;

/**
 * Agency electronic code (Quyết định 20/2020/QĐ-TTg): up to 35 characters of A-Z, 0-9 and dots,
 * dot-separated groups, one of which is the level-1 group, a letter and two digits (H55, G12).
 */
export const AgencyCode = z
  .string()
  .regex(
    /^(?=.{1,35}$)(?=(?:[A-Z0-9]+\.)*[A-Z]\d{2}(?:\.|$))[A-Z0-9]+(?:\.[A-Z0-9]+)*$/,
    'agency code: up to 35 characters, groups of A-Z 0-9 separated by dots, one group a letter and two digits (e.g. 000.00.00.H55)',
  )
  .meta({ example: '000.00.00.H55' });
