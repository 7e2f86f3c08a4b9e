import { HttpProblem, errorResponses, problems, type ServiceApp } from '@tthc/service-kit';
import { z } from 'zod';
import { findDossierByCode, listHistory } from '../db/dossier.repository';
import type { AppDeps } from '../deps';
import { normalizePhone } from '../domain/dossier-input';
import { STATUS_CODES } from '../domain/lifecycle';
import { STATUS_LABELS } from './dossier.schemas';
import { WindowCounter } from './rate-limit';

const Tracking = z
  .object({
    code: z.string(),
    procedureName: z.string(),
    status: z.string(),
    statusCode: z.number().int(),
    statusLabel: z.string(),
    receivedAt: z.iso.datetime({ offset: true }).nullable(),
    dueAt: z.iso.datetime({ offset: true }).nullable(),
    steps: z.array(
      z.object({ at: z.iso.datetime({ offset: true }), status: z.string(), statusLabel: z.string() }),
    ),
  })
  .meta({
    id: 'Tracking',
    examples: [
      {
        code: '000.20.17.H55-261123-0001',
        procedureName: 'Cấp chứng chỉ hành nghề dược',
        status: 'processing',
        statusCode: 4,
        statusLabel: 'Đang xử lý',
        receivedAt: '2026-11-23T02:15:00.000Z',
        dueAt: '2026-12-14T10:00:00.000Z',
        steps: [
          { at: '2026-11-23T02:15:00.000Z', status: 'received', statusLabel: 'Được tiếp nhận' },
          { at: '2026-11-23T07:00:00.000Z', status: 'processing', statusLabel: 'Đang xử lý' },
        ],
      },
    ],
  });

/** Limits against enumeration: per client address, and per dossier code on wrong second factors. */
const PER_IP = { limit: 30, windowSeconds: 60 };
const FAILURES_PER_CODE = { limit: 5, windowSeconds: 3600 };

export function trackingRoutes(app: ServiceApp, deps: AppDeps): void {
  const counter = new WindowCounter(deps.redis);
  const tooMany = (retryAfter: number) =>
    new HttpProblem(429, 'too_many_requests', 'Quá nhiều yêu cầu', `try again in ${retryAfter} s`, {
      extensions: { retryAfter },
    });

  app.get(
    '/v1/tracking/:code',
    {
      schema: {
        'x-access': { roles: 'public', agencyScoped: false },
        operationId: 'trackDossier',
        tags: ['tracking'],
        summary: 'A citizen follows a dossier: status, due date and steps, never personal data',
        description:
          'Needs the applicant’s phone number or ID number in the X-Verification header (a header, so it never lands in access logs). An unknown code and a wrong factor answer the same 404.',
        params: z.object({ code: z.string().max(80) }),
        headers: z.object({ 'x-verification': z.string().min(6).max(20) }),
        response: { 200: Tracking, ...errorResponses(404, 429) },
      },
    },
    async (request, reply) => {
      const prefix = `${deps.queuePrefix}:rl:tracking`;
      // The citizen's address as the gateway established it (behind its trusted proxies), not the gateway's.
      const address = request.identity?.clientAddress ?? request.ip;
      const ip = await counter.hit(`${prefix}:ip:${address}`, PER_IP.limit, PER_IP.windowSeconds);
      if (!ip.ok) {
        reply.header('retry-after', String(ip.retryAfter));
        throw tooMany(ip.retryAfter);
      }
      const { code } = request.params;
      const failKey = `${prefix}:fail:${code}`;
      const failures = await counter.count(failKey);
      if (failures >= FAILURES_PER_CODE.limit) {
        reply.header('retry-after', String(FAILURES_PER_CODE.windowSeconds));
        throw tooMany(FAILURES_PER_CODE.windowSeconds);
      }
      const d = await findDossierByCode(deps.db, code);
      const factor = request.headers['x-verification'].trim();
      const matches =
        d !== undefined &&
        ((d.applicant_phone !== null && normalizePhone(factor) === d.applicant_phone) ||
          (d.applicant_id_number !== null && factor === d.applicant_id_number));
      if (!d || !matches) {
        await counter.hit(failKey, FAILURES_PER_CODE.limit, FAILURES_PER_CODE.windowSeconds);
        throw problems.notFound('dossier', 'no dossier matches this code and verification');
      }
      const history = await listHistory(deps.db, d.id);
      return {
        code: d.code,
        procedureName: d.procedure_name,
        status: d.status,
        statusCode: STATUS_CODES[d.status],
        statusLabel: STATUS_LABELS[d.status],
        receivedAt: d.received_at?.toISOString() ?? null,
        dueAt: d.due_at?.toISOString() ?? null,
        steps: history
          .filter((h, i) => i === 0 || h.to_status !== h.from_status)
          .map((h) => ({
            at: h.at.toISOString(),
            status: h.to_status,
            statusLabel: STATUS_LABELS[h.to_status],
          })),
      };
    },
  );
}
