import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemTypeFor, type FieldError, type ProblemDetails } from './problem';

const PART: Record<string, FieldError['in']> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

export interface ProblemInput {
  status: number;
  code: string;
  title: string;
  detail?: string;
  type?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function sendProblem(
  request: Pick<FastifyRequest, 'url' | 'id'>,
  // any route's reply, whatever its generics
  reply: FastifyReply<any, any, any, any, any, any, any, any>,
  problem: ProblemInput,
): FastifyReply<any, any, any, any, any, any, any, any> {
  const body: ProblemDetails = {
    ...problem,
    type: problem.type ?? problemTypeFor(problem.code),
    instance: request.url.split('?')[0] ?? request.url,
    requestId: String(request.id),
  };
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** One error handler for the whole suite: every error leaves as RFC 9457 problem+json. */
export function installErrorHandling(app: FastifyInstance): void {
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
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, body too large, unsupported media type...
      return sendProblem(request, reply, {
        status,
        code: (err.code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase(),
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
