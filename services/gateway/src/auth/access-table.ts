import { rolesAllow, rolesFromDocument } from '@tthc/service-kit';
import FindMyWay from 'find-my-way';
import type { OpenApiDoc } from '../openapi/merge';

/** Who may call an operation: 'public', or its roles (the administrator may call every one). */
export type Access = 'public' | readonly string[];

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as const;
/** What the table answers for a path no operation of the document matches: administrators only. */
export const DENY_BY_DEFAULT: Access = [];

/**
 * The gateway's role table, built from the merged document: every operation's `x-roles`, its path
 * template matched as the services' own router matches it (find-my-way, the router Fastify uses),
 * so a static segment wins over a parameter (/v1/procedures/statistics before
 * /v1/procedures/{code}) whatever the order. An operation without `x-roles`, and any path the
 * document does not list, is for administrators only (deny by default).
 */
export class AccessTable {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 200 });
  readonly size: number;

  constructor(doc: Pick<OpenApiDoc, 'paths'>) {
    let size = 0;
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const template = path.replace(/\{([^}]+)\}/g, ':$1');
      for (const method of METHODS) {
        const op = (item as Record<string, { 'x-roles'?: unknown } | undefined>)[method.toLowerCase()];
        if (!op) continue;
        const access: Access = rolesFromDocument(op['x-roles']) ?? DENY_BY_DEFAULT;
        this.router.on(method, template, () => undefined, { access });
        size += 1;
      }
    }
    this.size = size;
  }

  /** The access of the operation a request would reach; undefined when the document has none. */
  lookup(method: string, path: string): Access | undefined {
    if (!(METHODS as readonly string[]).includes(method)) return undefined;
    const found = this.router.find(method as (typeof METHODS)[number], path);
    return (found?.store as { access: Access } | undefined)?.access;
  }

  accessFor(method: string, path: string): Access {
    return this.lookup(method, path) ?? DENY_BY_DEFAULT;
  }
}

/** Whether callers with these roles may make a call the table gives `access` (admin: every call). */
export function allowed(access: Access, roles: readonly string[]): boolean {
  return rolesAllow(access, roles);
}
