import type { Logger } from '@tthc/service-kit';
import type { UpstreamName } from '../routes/route-table';
import { MERGED_INFO, mergeOpenApi, type OpenApiDoc } from './merge';

const FRESH_MS = 30_000;

/**
 * The merged spec, fetched from the services' own /openapi.json and cached for half a minute,
 * so a redeployed service shows its new routes without restarting the gateway.
 */
export class MergedSpec {
  private cached: OpenApiDoc | undefined;
  private fetchedAt = 0;
  private inflight: Promise<OpenApiDoc> | undefined;

  constructor(
    private readonly upstreams: Record<UpstreamName, string>,
    private readonly logger: Logger,
    /** The gateway's own routes (administration). */
    private readonly own: () => OpenApiDoc = () => ({ openapi: '3.1.0', info: MERGED_INFO }),
  ) {}

  /** The last merged document (an empty one before the first fetch). */
  current(): OpenApiDoc {
    return this.cached ?? mergeOpenApi([], MERGED_INFO);
  }

  async get(): Promise<OpenApiDoc> {
    if (this.cached && Date.now() - this.fetchedAt < FRESH_MS) return this.cached;
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async refresh(): Promise<OpenApiDoc> {
    const docs: { service: string; doc: OpenApiDoc }[] = [];
    const missing: string[] = [];
    await Promise.all(
      Object.entries(this.upstreams).map(async ([service, base]) => {
        try {
          const res = await fetch(new URL('/openapi.json', base), { signal: AbortSignal.timeout(3000) });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          docs.push({ service, doc: (await res.json()) as OpenApiDoc });
        } catch (err) {
          missing.push(service);
          this.logger.warn({ service, err: (err as Error).message }, 'could not fetch the spec of a service');
        }
      }),
    );
    docs.push({ service: 'gateway', doc: this.own() });
    docs.sort((a, b) => a.service.localeCompare(b.service));
    const merged = mergeOpenApi(docs, MERGED_INFO);
    // A partial document is served but not kept as fresh, so the next request tries again.
    if (missing.length === 0) {
      this.cached = merged;
      this.fetchedAt = Date.now();
    }
    return merged;
  }
}
