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
  private fetchedAt = 0;
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
   * The merged document, refreshed when it is older than half a minute (in the background when
   * every service's document is known; waited for, at most once a second, while one is not).
   */
  async get(): Promise<OpenApiDoc> {
    const complete = Object.keys(this.upstreams).every((s) => this.docs.has(s));
    if (Date.now() - this.fetchedAt >= (complete && this.merged ? FRESH_MS : RETRY_MS)) {
      this.inflight ??= this.refresh().finally(() => {
        this.inflight = undefined;
      });
      if (!complete || !this.merged) await this.inflight;
    }
    return this.current();
  }

  private async refresh(): Promise<void> {
    await Promise.all(
      Object.entries(this.upstreams).map(async ([service, base]) => {
        try {
          const res = await fetch(new URL('/openapi.json', base), { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          this.docs.set(service, (await res.json()) as OpenApiDoc);
        } catch (err) {
          this.logger.warn({ service, err: (err as Error).message }, 'could not fetch the spec of a service');
        }
      }),
    );
    const docs = [...this.docs].map(([service, doc]) => ({ service, doc }));
    docs.push({ service: 'gateway', doc: this.own() });
    docs.sort((a, b) => a.service.localeCompare(b.service));
    this.merged = mergeOpenApi(docs, MERGED_INFO);
    this.table = new AccessTable(this.merged);
    this.fetchedAt = Date.now();
  }
}
