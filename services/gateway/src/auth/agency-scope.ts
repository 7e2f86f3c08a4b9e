import { IDENTITY_HEADER, type Identity } from '@tthc/contracts';
import type { IdentitySigner } from './identity-signer';

/** Roles that see the whole province whatever agency they belong to. */
const PROVINCE_WIDE = new Set(['admin', 'reporter', 'portal']);
const TTL_MS = 5 * 60_000;

/**
 * The agencies an officer may see: its agency and every one below it (parent agencies see their
 * sub-agencies), and, for a desk that receives for other agencies (a provincial service centre),
 * those agencies and the ones below them; from the catalogue's agency tree, cached for a few
 * minutes.
 */
export class AgencyScopes {
  private readonly cache = new Map<string, { codes: string[]; until: number }>();

  constructor(
    private readonly catalogueUrl: string,
    private readonly signer: IdentitySigner,
  ) {}

  async scopeOf(identity: Omit<Identity, 'agencyScope'>): Promise<string[] | null> {
    if (identity.roles.some((r) => PROVINCE_WIDE.has(r)) || identity.agencyCode === null) return null;
    const code = identity.agencyCode;
    const hit = this.cache.get(code);
    if (hit && hit.until > Date.now()) return hit.codes;
    const own = await this.subtree(code);
    // An agency the catalogue does not know sees only itself.
    const codes = new Set(own ? flatten(own) : [code]);
    for (const other of own?.receivesFor ?? []) {
      const served = await this.subtree(other);
      for (const c of served ? flatten(served) : [other]) codes.add(c);
    }
    const list = [...codes];
    this.cache.set(code, { codes: list, until: Date.now() + TTL_MS });
    return list;
  }

  private async subtree(code: string): Promise<Node | undefined> {
    const token = await this.signer.sign({
      sub: 'gateway',
      kind: 'system',
      roles: ['admin'],
      agencyCode: null,
      agencyScope: null,
      person: null,
    });
    const res = await fetch(new URL(`/v1/agencies/${encodeURIComponent(code)}`, this.catalogueUrl), {
      headers: { [IDENTITY_HEADER]: token },
      signal: AbortSignal.timeout(3000),
    });
    return res.ok ? ((await res.json()) as Node) : undefined;
  }
}

interface Node {
  code: string;
  receivesFor?: string[];
  children?: Node[];
}

function flatten(node: Node): string[] {
  return [node.code, ...(node.children ?? []).flatMap(flatten)];
}
