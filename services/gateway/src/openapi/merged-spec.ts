import type { Logger } from '@tthc/service-kit';
import { AccessTable } from '../auth/access-table';
import type { UpstreamName } from '../routes/route-table';
import { MERGED_INFO, mergeOpenApi, type OpenApiDoc } from './merge';

const FRESH_MS = 30_000;
/** While a service's document has never been read, how soon to try again. */
const RETRY_MS = 1_000;
/** A service builds its document on the first read, which takes a while on a busy host. */
const FETCH_TIMEOUT_MS = 10_000;

/**
 * The merged spec, fetched from the services' own /openapi.json and refreshed every half minute,
 * so a redeployed service shows its new routes without restarting the gateway. The gateway's role
 * table is built from it: a service whose document cannot be read keeps its last one; one never
 * read yet has no operations, so its routes are not served (see `knows`).
 */
export class MergedSpec {
  private readonly docs = new Map<string, OpenApiDoc>();
  private merged: OpenApiDoc | undefined;
  private table: AccessTable = new AccessTable({ paths: {} });
  /** When every service's document was last fetched. */
  private fetchedAt = 0;
  /** When the documents never read were last tried. */
  private triedAt = 0;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly upstreams: Record<UpstreamName, string>,
    private readonly logger: Logger,
    /** The gateway's own routes (administration). */
    private readonly own: () => OpenApiDoc = () => ({ openapi: '3.1.0', info: MERGED_INFO }),
  ) {}

  /** The last merged document (an empty one before the first fetch). */
  current(): OpenApiDoc {
    return this.merged ?? mergeOpenApi([], MERGED_INFO);
  }

  /** The role table of the last merged document. */
  accessTable(): AccessTable {
    return this.table;
  }

  /** Whether the document of this service has been read (its operations are in the table). */
  knows(service: UpstreamName): boolean {
    return this.docs.has(service);
  }

  /**
   * The merged document, refreshed when it is older than half a minute (in the background), and
   * the documents never read tried again at most once a second. A caller waits for a refresh
   * only while the document it needs (`needed`: its service's; without it, every service's) has
   * not been read: a request to a known service does not wait on another one that is down.
   */
  async get(needed?: UpstreamName): Promise<OpenApiDoc> {
    const now = Date.now();
    const missing = Object.keys(this.upstreams).filter((s) => !this.docs.has(s));
    const stale = !this.merged || now - this.fetchedAt >= FRESH_MS;
    if (stale || (missing.length > 0 && now - this.triedAt >= RETRY_MS)) {
      this.inflight ??= this.refresh(stale ? Object.keys(this.upstreams) : missing).finally(() => {
        this.inflight = undefined;
      });
      const known = needed ? this.docs.has(needed) : missing.length === 0;
      if (!known || !this.merged) await this.inflight;
    }
    return this.current();
  }

  private async refresh(services: string[]): Promise<void> {
    const all = services.length === Object.keys(this.upstreams).length;
    let read = 0;
    await Promise.all(
      services.map(async (service) => {
        const base = this.upstreams[service as UpstreamName];
        try {
          const res = await fetch(new URL('/openapi.json', base), { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          this.docs.set(service, (await res.json()) as OpenApiDoc);
          read += 1;
        } catch (err) {
          this.logger.warn({ service, err: (err as Error).message }, 'could not fetch the spec of a service');
        }
      }),
    );
    this.triedAt = Date.now();
    if (all) this.fetchedAt = this.triedAt;
    // Merged again only when a document was read (or for the first time).
    if (read === 0 && this.merged) return;
    const docs = [...this.docs].map(([service, doc]) => ({ service, doc }));
    docs.push({ service: 'gateway', doc: this.own() });
    docs.sort((a, b) => a.service.localeCompare(b.service));
    this.merged = mergeOpenApi(docs, MERGED_INFO);
    this.table = new AccessTable(this.merged);
  }
}
