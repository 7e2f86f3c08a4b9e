import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { HttpProblem, PROBLEM_CONTENT_TYPE, type FieldError, type ProblemDetails } from './problem';
import { problemCodeForStatus, problemTypeFor, type ProblemCode } from './problem-types';

const PART: Record<string, FieldError['in']> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/**
 * A problem to answer: its code names a registered type (problem-types.ts); a code of the
 * framework's own (FST_ERR_...) comes with the registered type it falls under.
 */
export type ProblemInput = {
  status: number;
  title: string;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
} & ({ code: ProblemCode; type?: undefined } | { code: string; type: string });

export function sendProblem(
  request: Pick<FastifyRequest, 'url' | 'id'>,
  // any route's reply, whatever its generics
  reply: FastifyReply<any, any, any, any, any, any, any, any>,
  problem: ProblemInput,
): FastifyReply<any, any, any, any, any, any, any, any> {
  const body: ProblemDetails = {
    ...problem,
    type: problem.type ?? problemTypeFor(problem.code as ProblemCode),
    instance: request.url.split('?')[0] ?? request.url,
    requestId: String(request.id),
  };
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Where a NUL character hides in a request part (Postgres text cannot hold one). */
function findNul(value: unknown, pointer: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? pointer : undefined;
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  // Only parsed JSON (plain objects and arrays); a proxied body is a stream and is not ours to walk.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const found = findNul(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A 422 that carries a whole report (an import refused for its row errors): the report's fields
 * become extensions of the problem document, so the answer is still problem+json.
 */
export function sendReportProblem(
  request: Pick<FastifyRequest, 'url' | 'id'>,
  reply: FastifyReply<any, any, any, any, any, any, any, any>,
  report: { errors: readonly unknown[] },
  code: ProblemCode = 'import_rejected',
): FastifyReply<any, any, any, any, any, any, any, any> {
  // Every error counts; the first thousand are listed (a hostile file must not make a huge answer).
  const listed = report.errors.slice(0, 1000);
  return reply
    .status(422)
    .type(PROBLEM_CONTENT_TYPE)
    .send({
      ...report,
      errors: listed,
      errorCount: report.errors.length,
      type: problemTypeFor(code),
      title: 'Không thể xử lý yêu cầu',
      status: 422,
      code,
      detail: `${report.errors.length} row error(s); nothing was imported`,
      instance: request.url.split('?')[0] ?? request.url,
      requestId: String(request.id),
    });
}

/** Socket-level failures reaching the database (node's error codes). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/**
 * The database is away (restarting, refusing connections, the connection lost mid-request): a
 * transient state the client may retry after, answered 503, not a server fault. SQLSTATE class
 * 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now), 53300 (too many
 * connections), 55000 with the refusal of a database that does not accept connections; pg's own
 * errors for a lost or unobtainable connection carry no SQLSTATE and are known by their text.
 */
function isDatabaseUnavailable(err: Error, sqlState: string | undefined): boolean {
  if (sqlState) {
    return (
      sqlState.startsWith('08') ||
      ['57P01', '57P02', '57P03', '53300'].includes(sqlState) ||
      (sqlState === '55000' && /not currently accepting connections/.test(err.message))
    );
  }
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(
    err.message,
  );
}

/** One error handler for the whole suite: every error leaves as RFC 9457 problem+json. */
export function installErrorHandling(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    for (const [part, value] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const pointer = findNul(value, '');
      if (pointer !== undefined) {
        return sendProblem(request, reply, {
          status: 400,
          code: 'validation_failed',
          title: 'Dữ liệu không hợp lệ',
          detail: `${part}${pointer || '/'}: contains a NUL character`,
          errors: [{ in: part, pointer, detail: 'contains a NUL character' }],
        });
      }
    }
    return undefined;
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const part = PART[(err as { validationContext?: string }).validationContext ?? 'body'] ?? 'body';
      const errors: FieldError[] = err.validation.map((v) => ({
        in: part,
        pointer: v.instancePath === '/' ? '' : v.instancePath,
        detail: v.message ?? 'invalid value',
      }));
      return sendProblem(request, reply, {
        status: 400,
        code: 'validation_failed',
        title: 'Dữ liệu không hợp lệ',
        detail: errors.map((e) => `${e.in}${e.pointer || '/'}: ${e.detail}`).join('; '),
        errors,
      });
    }
    if (err instanceof HttpProblem) {
      if (err.status >= 500) request.log.error({ err }, err.message);
      return sendProblem(request, reply, {
        status: err.status,
        code: err.code,
        title: err.title,
        detail: err.message,
        ...(err.errors ? { errors: err.errors } : {}),
        ...err.extensions,
      });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return sendProblem(request, reply, { status: 500, code: 'internal_error', title: 'Lỗi hệ thống' });
    }
    // Postgres refusing a value (SQLSTATE class 22: a NUL byte, a bad escape, out of range) or a
    // constraint (class 23) is the client's input, not a server fault.
    const sqlState =
      typeof (err as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)
        ? err.code
        : undefined;
    if (sqlState?.startsWith('22')) {
      return sendProblem(request, reply, {
        status: 400,
        code: 'invalid_value',
        title: 'Dữ liệu không hợp lệ',
        detail: 'a value cannot be stored as sent',
      });
    }
    if (sqlState?.startsWith('23')) {
      return sendProblem(request, reply, {
        status: 409,
        code: 'constraint_violation',
        title: 'Xung đột dữ liệu',
        detail: 'the change conflicts with data already held',
      });
    }
    if (isDatabaseUnavailable(err, sqlState)) {
      request.log.warn({ err: err.message, sqlState }, 'database unavailable');
      return sendProblem(request, reply.header('retry-after', '5'), {
        status: 503,
        code: 'database_unavailable',
        title: 'Dịch vụ tạm thời không khả dụng',
        detail: 'the database cannot be reached; nothing was changed, try again shortly',
      });
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, body too large, unsupported media type...
      return sendProblem(request, reply, {
        status,
        code: (err.code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase(),
        type: problemTypeFor(problemCodeForStatus(status)),
        title: status === 413 ? 'Dữ liệu quá lớn' : 'Yêu cầu không hợp lệ',
        detail: err.message,
      });
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(request, reply, { status: 500, code: 'internal_error', title: 'Lỗi hệ thống' });
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, {
      status: 404,
      code: 'route_not_found',
      title: 'Không tìm thấy',
      detail: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}
