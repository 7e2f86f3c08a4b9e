import { randomUUID } from 'node:crypto';
import type { Executor } from '@tthc/db';
import { answersJson, isTransientStatus } from '@tthc/service-kit';
import type { CommandContext } from '../commands/procedure.command';
import type { CatalogueDb, NationalPullOutcome } from '../db/schema';
import { importNationalRecords, packageRecords, type NationalAction } from './import';
import {
  currentMapping,
  finishPullRun,
  insertPullRun,
  lastValidators,
  listPullRows,
  type PullRow,
} from '../db/national.repository';

/** Where the province pulls national records from. */
export interface NationalSource {
  url: string;
  /** Sent as `Authorization: Bearer …` when set. */
  token: string | null;
  timeoutMs: number;
}

/** A pull that did not bring records; `retryable` tells the queue whether to try again. */
export class PullFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface PullRun {
  id: string;
  trigger: 'schedule' | 'operator';
  attempt: number;
  url: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: NationalPullOutcome;
  httpStatus: number | null;
  mappingVersion: number;
  counts: Partial<Record<NationalAction, number>>;
  /** Records refused, with every issue (at most 200 listed). */
  refused: { index: number; code: string | null; issues: { path: string; reason: string }[] }[];
  error: string | null;
  requestedBy: string;
}

export function toPullRun(r: PullRow): PullRun {
  return {
    id: r.id,
    trigger: r.trigger,
    attempt: r.attempt,
    url: r.url,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    outcome: r.outcome,
    httpStatus: r.http_status,
    mappingVersion: r.mapping_version,
    counts: r.counts as PullRun['counts'],
    refused: r.refused as PullRun['refused'],
    error: r.error,
    requestedBy: r.requested_by,
  };
}

export async function listPullRuns(db: Executor<CatalogueDb>, limit: number): Promise<PullRun[]> {
  return (await listPullRows(db, limit)).map(toPullRun);
}

/**
 * One pull of the national source: a conditional GET (If-None-Match / If-Modified-Since), the
 * answer checked (JSON, records where the mapping says), then every record imported in its own
 * transaction. Every attempt is a row of `national_pulls` with what came back and why a record
 * was refused; a failure the source may get over (timeout, 5xx, an HTML page, a cut answer)
 * throws a retryable PullFailed.
 */
export async function pullNationalCatalogue(
  ctx: CommandContext,
  source: NationalSource,
  run: { trigger: 'schedule' | 'operator'; attempt: number; requestedBy: string },
): Promise<PullRun> {
  const mapping = await currentMapping(ctx.db);
  const id = randomUUID();
  await insertPullRun(ctx.db, {
    id,
    trigger: run.trigger,
    attempt: run.attempt,
    url: source.url,
    started_at: ctx.clock(),
    mapping_version: mapping.version,
    requested_by: run.requestedBy,
  });
  const finish = async (
    outcome: NationalPullOutcome,
    fields: Parameters<typeof finishPullRun>[4],
  ): Promise<PullRun> => toPullRun(await finishPullRun(ctx.db, id, outcome, ctx.clock(), fields));
  const fail = async (reason: string, retryable: boolean, status: number | null): Promise<never> => {
    await finish('failed', { http_status: status, error: reason });
    throw new PullFailed(reason, retryable);
  };

  const previous = await lastValidators(ctx.db, source.url, mapping.version);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (source.token) headers.authorization = `Bearer ${source.token}`;
  if (previous?.etag) headers['if-none-match'] = previous.etag;
  if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;

  let res: Response;
  try {
    res = await fetch(source.url, { headers, signal: AbortSignal.timeout(source.timeoutMs) });
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    return fail(
      timedOut ? `no answer within ${source.timeoutMs} ms` : `could not reach the source: ${e.message}`,
      true,
      null,
    );
  }
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (res.status === 304) {
    await res.body?.cancel();
    return finish('not_modified', {
      http_status: 304,
      etag: etag ?? previous?.etag ?? null,
      last_modified: lastModified ?? previous?.lastModified ?? null,
    });
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    const hint = res.status === 401 || res.status === 403 ? ' (check NATIONAL_CATALOGUE_TOKEN)' : '';
    return fail(`the source answered ${res.status}${hint}`, isTransientStatus(res.status), res.status);
  }
  const type = res.headers.get('content-type') ?? '';
  if (!answersJson(res)) {
    await res.body?.cancel();
    return fail(
      `the source answered ${type || 'no content type'}, not JSON (a maintenance or error page?)`,
      true,
      200,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(await res.text());
  } catch (err) {
    return fail(`the answer is not valid JSON (cut short?): ${(err as Error).message}`, true, 200);
  }
  const records = packageRecords(body, mapping.document);
  if (!records) {
    const where = mapping.document.names.records;
    return fail(`the answer holds no list of records${where ? ` under "${where}"` : ''}`, false, 200);
  }
  const report = await importNationalRecords(ctx, records, { dryRun: false, allOrNothing: false, mapping });
  const refused = report.records
    .filter((r) => r.issues.length > 0)
    .slice(0, 200)
    .map((r) => ({ index: r.index, code: r.code, issues: r.issues }));
  return finish(report.counts.refused > 0 ? 'partial' : 'applied', {
    http_status: 200,
    etag,
    last_modified: lastModified,
    counts: report.counts,
    refused,
  });
}
