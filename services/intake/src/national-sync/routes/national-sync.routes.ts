import { withTransaction } from '@tthc/db';
import {
  ADMIN_ACCESS,
  decodeCursor,
  decodeInstantId,
  encodeCursor,
  encodeInstantId,
  errorResponses,
  HttpProblem,
  IdempotencyKeyHeader,
  PageQuery,
  problems,
  type ServiceApp,
} from '@tthc/service-kit';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { reconcile } from '../commands/reconcile.command';
import {
  appendMapping,
  auditMappingEdit,
  currentMappingRow,
  differencesOf,
  findDossierId,
  findRun,
  hasOpenPush,
  listDeadLetters,
  pushesOf,
  queuePush,
  recentRuns,
  recordOf,
  revive,
  syncState,
} from '../db/national-sync.repository';
import { withSync } from '../db/national-sync.schema';
import { CURRENT_NATIONAL_MAPPING, NationalMapping } from '../domain/mapping';
import { pushesQueued, type NationalSyncDeps } from '../national-sync.deps';
import {
  DeadLetter,
  MappingVersion,
  ReconciliationRun,
  RepushAnswer,
  SyncStatus,
  toDeadLetter,
  toRun,
  toState,
} from './national-sync.schemas';

const TAG = 'national-sync';
const CodeParams = z.object({
  code: z
    .string()
    .max(80)
    .meta({ description: 'The dossier code (or the provisional reference P-… of a portal submission)' }),
});
const actorOf = (request: FastifyRequest): string => request.identity?.sub ?? 'unknown';
const instant = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * The operators' side of the national sync (administrators): the mapping as data, the dead-letter
 * list and re-pushes, a dossier's sync state and pushes, the reconciliation runs and their
 * differences.
 */
export function nationalSyncRoutes(
  app: ServiceApp,
  deps: Pick<NationalSyncDeps, 'db' | 'clock' | 'client' | 'config' | 'logger'>,
): void {
  const db = withSync(deps.db);
  const dossierId = async (code: string) => {
    const id = await findDossierId(db, code);
    if (!id) throw problems.notFound('dossier');
    return id;
  };

  app.get(
    '/v1/national-sync/mapping',
    {
      schema: {
        operationId: 'getNationalSyncMapping',
        tags: [TAG],
        'x-access': ADMIN_ACCESS,
        summary: 'The national mapping in force: paths, member names, status, channel and agency codes',
        description: 'Administrators only.',
        response: { 200: MappingVersion, ...errorResponses() },
      },
    },
    async () => {
      const row = await currentMappingRow(db);
      return {
        version: row.version,
        note: row.note,
        createdBy: row.created_by,
        createdAt: new Date(row.created_at).toISOString(),
        mapping: NationalMapping.parse(row.document),
      };
    },
  );

  app.put(
    '/v1/national-sync/mapping',
    {
      schema: {
        operationId: 'replaceNationalSyncMapping',
        tags: [TAG],
        'x-access': ADMIN_ACCESS,
        summary: 'Replace the national mapping (a new version; every status and channel must have a code)',
        description:
          'Administrators only. Validated before it is stored: a status or channel without a national code, a member name used twice or a malformed path is refused naming the member. Pushes use the new version from their next attempt; dead-lettered ones go again only when re-pushed.',
        body: z
          .object({
            mapping: NationalMapping,
            note: z
              .string()
              .max(500)
              .transform((s) => s.normalize('NFC'))
              .optional(),
          })
          .meta({
            id: 'ReplaceNationalMapping',
            examples: [
              {
                mapping: { ...CURRENT_NATIONAL_MAPPING, agencies: { '000.00.17.H55': 'G22.17' } },
                note: 'Mã cơ quan theo danh mục của Cổng DVCQG',
              },
            ],
          }),
        response: { 200: MappingVersion, ...errorResponses(409) },
      },
    },
    async (request) => {
      const note = request.body.note ?? null;
      const saved = await withTransaction(db, async (tx) => {
        const v = await appendMapping(tx, request.body.mapping, actorOf(request), note);
        await auditMappingEdit(tx, actorOf(request), v.version, note);
        return v;
      }).catch((err: unknown) => {
        if ((err as { code?: string }).code === '23505')
          throw problems.conflict(
            'conflict',
            'the mapping was replaced at the same moment: read it and try again',
          );
        throw err;
      });
      return {
        version: saved.version,
        note,
        createdBy: actorOf(request),
        createdAt: saved.created_at.toISOString(),
        mapping: request.body.mapping,
      };
    },
  );

  app.get(
    '/v1/national-sync/dead-letters',
    {
      schema: {
        operationId: 'listNationalDeadLetters',
        tags: [TAG],
        'x-access': ADMIN_ACCESS,
        summary: 'Pushes that will not go through without an operator (oldest first); each holds its dossier',
        description: 'Administrators only.',
        querystring: z.object(PageQuery),
        response: {
          200: z
            .object({ items: z.array(DeadLetter), nextCursor: z.string().nullable() })
            .meta({ id: 'NationalDeadLetterPage' }),
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const after = q.cursor ? decodeInstantId(q.cursor) : undefined;
      if (q.cursor && !after)
        throw problems.badRequest('invalid_cursor', 'the cursor is not one this API gave', [
          { in: 'query', pointer: '/cursor', detail: 'unreadable cursor' },
        ]);
      const rows = await listDeadLetters(
        db,
        q.limit + 1,
        after ? { at: new Date(after.at), id: after.id } : null,
      );
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toDeadLetter),
        nextCursor: rows.length > q.limit && last ? encodeInstantId(last.dead_at, last.id) : null,
      };
    },
  );

  app.post(
    '/v1/national-sync/dead-letters/repush',
    {
      schema: {
        operationId: 'repushNationalDeadLetters',
        tags: [TAG],
        'x-access': ADMIN_ACCESS,
        summary:
          'Put every dead-lettered push back in line (after the national side or the mapping was fixed)',
        description: 'Administrators only.',
        body: z.object({}).meta({ id: 'RepushAll', examples: [{}] }),
        response: { 200: RepushAnswer, ...errorResponses() },
      },
    },
    async () => {
      const ids = await revive(db, deps.clock());
      if (ids.length > 0) pushesQueued.notify();
      return { dossiers: ids.length, queued: ids.length > 0 };
    },
  );

  app.get(
    '/v1/national-sync/dossiers/:code',
    {
      schema: {
        operationId: 'getNationalSyncStatus',
        tags: [TAG],
        'x-access': ADMIN_ACCESS,
        summary: "A dossier's sync state (pending, synced at, last error) and its pushes in order",
        description: 'Administrators only.',
        params: CodeParams,
        response: { 200: SyncStatus, ...errorResponses(404) },
      },
    },
    async (request) => {
      const id = await dossierId(request.params.code);
      const [state, pushes] = await Promise.all([syncState(db, id), pushesOf(db, id)]);
      return {
        ...toState(request.params.code, state),
        pushes: pushes.map((p) => ({
          id: p.id,
          version: p.dossier_version,
          reason: p.reason,
          status: p.status,
          attempts: p.attempts,
          round: p.round,
          queuedAt: new Date(p.created_at).toISOString(),
          deliveredAt: instant(p.delivered_at),
          deadAt: instant(p.dead_at),
          lastError: p.last_error,
        })),
      };
    },
  );

  app.post(
    '/v1/national-sync/dossiers/:code/repush',
    {
      schema: {
        operationId: 'repushNationalDossier',
        tags: [TAG],
        'x-access': ADMIN_ACCESS,
        summary:
          'Push a dossier again: its dead-lettered pushes go back in line, else its record as it stands now',
        description: 'Administrators only.',
        params: CodeParams,
        body: z.object({}).meta({ id: 'RepushDossier', examples: [{}] }),
        response: { 200: RepushAnswer, ...errorResponses(404) },
      },
    },
    async (request) => {
      const id = await dossierId(request.params.code);
      const queued = await withTransaction(db, async (tx) => {
        if ((await revive(tx, deps.clock(), id)).length > 0) return true;
        if (await hasOpenPush(tx, id)) return false;
        const record = await recordOf(tx, id);
        return record ? queuePush(tx, id, 'repush', record, deps.clock(), true) : false;
      });
      if (queued) pushesQueued.notify();
      return { dossiers: queued ? 1 : 0, queued };
    },
  );

  app.post(
    '/v1/national-sync/reconciliations',
    {
      schema: {
        operationId: 'runNationalReconciliation',
        'x-idempotent': true,
        'x-location': '/v1/national-sync/reconciliations/{id}',
        tags: [TAG],
        'x-access': ADMIN_ACCESS,
        summary: 'Compare our dossier states with the national side now (the daily run, on demand)',
        description:
          'Administrators only. Queries the national endpoint for the dossiers changed in the last NATIONAL_SYNC_RECONCILE_DAYS days, lists those missing there or differing in status or dates, and pushes them again.',
        headers: IdempotencyKeyHeader,
        body: z.object({}).meta({ id: 'RunReconciliation', examples: [{}] }),
        response: { 201: ReconciliationRun, ...errorResponses(409, 502) },
      },
    },
    async (request, reply) => {
      if (!deps.client)
        throw problems.conflict(
          'national_sync_off',
          'no national connection is configured (NATIONAL_SYNC_URL)',
        );
      try {
        const run = await reconcile(deps, deps.client, `operator ${actorOf(request)}`);
        const row = await findRun(db, run.id);
        return reply
          .status(201)
          .header('location', `/v1/national-sync/reconciliations/${run.id}`)
          .send({ ...toRun(row!), differences: [], nextCursor: null });
      } catch (err) {
        if (err instanceof HttpProblem) throw err;
        throw new HttpProblem(
          502,
          'national_endpoint_failed',
          'Cổng quốc gia không trả lời đúng',
          (err as Error).message,
        );
      }
    },
  );

  app.get(
    '/v1/national-sync/reconciliations',
    {
      schema: {
        operationId: 'listNationalReconciliations',
        tags: [TAG],
        'x-access': ADMIN_ACCESS,
        summary: 'The latest reconciliation runs (newest first)',
        description: 'Administrators only.',
        querystring: z.object({ limit: PageQuery.limit }),
        response: {
          200: z
            .object({ items: z.array(ReconciliationRun.omit({ differences: true, nextCursor: true })) })
            .meta({
              id: 'NationalReconciliationList',
            }),
          ...errorResponses(),
        },
      },
    },
    async (request) => ({ items: (await recentRuns(db, request.query.limit)).map(toRun) }),
  );

  app.get(
    '/v1/national-sync/reconciliations/:id',
    {
      schema: {
        operationId: 'getNationalReconciliation',
        tags: [TAG],
        'x-access': ADMIN_ACCESS,
        summary: 'One reconciliation run and the differences it found, in pages',
        params: z.object({ id: z.uuid().meta({ description: 'The run id' }) }),
        querystring: z.object(PageQuery),
        response: { 200: ReconciliationRun, ...errorResponses(404) },
      },
    },
    async (request) => {
      const run = await findRun(db, request.params.id);
      if (!run) throw problems.notFound('reconciliation run');
      const q = request.query;
      const after = decodeCursor(q.cursor) ?? null;
      if (after !== null && !/^\d+$/.test(after))
        throw problems.badRequest('invalid_cursor', 'the cursor is not one this API gave', [
          { in: 'query', pointer: '/cursor', detail: 'unreadable cursor' },
        ]);
      const rows = await differencesOf(db, run.id, after, q.limit + 1);
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return {
        ...toRun(run),
        differences: items.map((d) => ({
          code: d.code,
          kinds: d.kinds,
          ours: d.ours as Record<string, unknown> | null,
          theirs: d.theirs as Record<string, unknown> | null,
          repushed: d.repushed,
        })),
        nextCursor: rows.length > q.limit && last ? encodeCursor(String(last.id)) : null,
      };
    },
  );
}
