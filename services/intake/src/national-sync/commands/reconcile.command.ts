import { randomUUID } from 'node:crypto';
import { afterCommit, withTransaction } from '@tthc/db';
import type { NationalClient } from '../client/national-client';
import {
  addDifference,
  currentMapping,
  finishRun,
  startRun,
  dossiersChangedSince,
  hasOpenPush,
  queuePush,
  recordOf,
} from '../db/national-sync.repository';
import { withSync } from '../db/national-sync.schema';
import { NationalMapping } from '../domain/mapping';
import {
  differences,
  fromNationalRecord,
  MappingError,
  nationalAgency,
  nationalDate,
  type NationalRecord,
  type NationalState,
} from '../domain/national-record';
import { pushesQueued, type NationalSyncDeps } from '../national-sync.deps';

const PAGE = 500;
/** Pages of one agency's query answer read at most (a national side that never ends its pages). */
const MAX_PAGES = 1000;

export interface ReconcileSummary {
  id: string;
  checked: number;
  differing: number;
}

/**
 * The daily comparison with the national side: every dossier changed in the last days, as we
 * would push it now, against what the national query endpoint reports for its agency
 * (GET {NATIONAL_SYNC_URL}{paths.query}?agency=&updatedSince=&page=, answering
 * `{ [query.records]: [record...], [query.nextPage]: string | null }` with the push's member names).
 * A dossier missing there or differing in status or dates is listed and pushed again; one with a
 * push still in its line is left to it. The run and its differences are kept.
 */
export async function reconcile(
  deps: Pick<NationalSyncDeps, 'db' | 'clock' | 'config' | 'logger'>,
  client: NationalClient,
  trigger: string,
): Promise<ReconcileSummary> {
  const db = withSync(deps.db);
  const now = deps.clock();
  const since = new Date(now.getTime() - deps.config.NATIONAL_SYNC_RECONCILE_DAYS * 86_400_000);
  const id = randomUUID();
  await startRun(db, { id, trigger, since, at: now });
  try {
    const mapping = NationalMapping.parse((await currentMapping(db)).document);
    const ours = new Map<string, { id: string; record: NationalRecord }>();
    const byAgency = new Map<string, string[]>();
    const unmapped: { id: string; record: NationalRecord; reason: string }[] = [];
    for (let after: string | null = null; ;) {
      const page = await dossiersChangedSince(db, since, after, PAGE);
      for (const d of page) {
        const record = await recordOf(db, d.id);
        if (!record) continue;
        try {
          const agency = nationalAgency(mapping, record.agencyCode);
          ours.set(record.code, { id: d.id, record });
          byAgency.set(agency, [...(byAgency.get(agency) ?? []), record.code]);
        } catch (err) {
          if (!(err instanceof MappingError)) throw err;
          unmapped.push({ id: d.id, record, reason: err.message });
        }
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
    const theirs = new Map<string, NationalState>();
    for (const agency of byAgency.keys()) {
      let page: string | null = null;
      for (let n = 0; n < MAX_PAGES; n++) {
        const answer = (await client.query(mapping.paths.query, {
          agency,
          updatedSince: nationalDate(since.toISOString(), mapping.dateFormat)!,
          ...(page ? { page } : {}),
        })) as Record<string, unknown>;
        const records = answer[mapping.query.records];
        if (!Array.isArray(records))
          throw new Error(`the query answer has no ${mapping.query.records} list (agency ${agency})`);
        for (const r of records) {
          const s = fromNationalRecord(r, mapping);
          if (s) theirs.set(s.code, s);
        }
        const next = answer[mapping.query.nextPage];
        if (typeof next !== 'string' || next === '') break;
        page = next;
      }
    }
    let differing = 0;
    let queued = false;
    await withTransaction(db, async (tx) => {
      for (const u of unmapped) {
        differing++;
        await addDifference(tx, {
          runId: id,
          dossierId: u.id,
          code: u.record.code,
          kinds: ['mapping'],
          ours: { reason: u.reason },
          theirs: null,
          repushed: false,
        });
      }
      for (const [code, o] of ours) {
        const t = theirs.get(code);
        const kinds = differences(o.record, t, mapping);
        if (kinds.length === 0) continue;
        // A push still in line (in flight, retrying, dead-lettered) speaks for the dossier already.
        if (await hasOpenPush(tx, o.id)) continue;
        differing++;
        const fresh = (await recordOf(tx, o.id)) ?? o.record;
        const repushed = await queuePush(tx, o.id, 'reconciliation', fresh, deps.clock(), true);
        queued ||= repushed;
        await addDifference(tx, {
          runId: id,
          dossierId: o.id,
          code,
          kinds,
          ours: {
            status: o.record.status,
            nationalStatus: mapping.statuses[o.record.status],
            receivedAt: o.record.receivedAt,
            dueAt: o.record.dueAt,
            endedAt: o.record.endedAt,
          },
          theirs: t
            ? {
                nationalStatus: t.status,
                receivedAt: t.receivedAt?.toISOString() ?? null,
                dueAt: t.dueAt?.toISOString() ?? null,
                endedAt: t.endedAt?.toISOString() ?? null,
              }
            : null,
          repushed,
        });
      }
      await finishRun(tx, id, { at: deps.clock(), checked: ours.size + unmapped.length, differing });
      if (queued) afterCommit(tx, () => pushesQueued.notify());
    });
    return { id, checked: ours.size + unmapped.length, differing };
  } catch (err) {
    const message = (err as Error).message.slice(0, 1000);
    await finishRun(db, id, { at: deps.clock(), error: message });
    deps.logger.error({ runId: id, err: message }, 'national reconciliation failed');
    throw err;
  }
}
