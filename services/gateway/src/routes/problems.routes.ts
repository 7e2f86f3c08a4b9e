import {
  errorResponses,
  fileAnswer,
  PROBLEM_TYPES,
  problemCodeOf,
  problems,
  problemSlug,
  problemTypeFor,
  type ProblemCode,
  type ServiceApp,
} from '@tthc/service-kit';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

interface ProblemTypePage {
  type: string;
  code: string;
  status: number;
  title: string;
  description: string;
}

/** One problem type as its page describes it. */
export const ProblemType = z
  .object({
    type: z.string().meta({ description: 'the value of `type` in a problem document' }),
    code: z.string().meta({ description: 'the value of `code` in a problem document' }),
    status: z.number().int().min(400).max(599),
    title: z.string(),
    description: z.string(),
  })
  .meta({
    id: 'ProblemType',
    examples: [describe('precondition_failed')],
  });

function describe(code: ProblemCode): ProblemTypePage {
  const info = PROBLEM_TYPES[code];
  return {
    type: problemTypeFor(code),
    code,
    status: info.status,
    title: info.title,
    description: info.description,
  };
}

const ALL = (Object.keys(PROBLEM_TYPES) as ProblemCode[]).map(describe);

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body>${body}</body></html>`;

function htmlOf(p: ProblemTypePage): string {
  return `<h1>${escape(p.title)}</h1><p><code>${escape(p.type)}</code> · HTTP ${p.status} · code <code>${escape(p.code)}</code></p><p>${escape(p.description)}</p><p><a href="/problems">Every problem type</a></p>`;
}

const wantsHtml = (request: FastifyRequest) => {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.startsWith('application/json');
};

/**
 * The pages of the problem types (RFC 9457 `type`): each problem document's type resolves to one,
 * as JSON or, for a browser, HTML. Public: a client reading an error needs no credentials for it.
 */
export function problemRoutes(app: ServiceApp): void {
  app.get(
    '/problems',
    {
      schema: {
        operationId: 'listProblemTypes',
        tags: ['problems'],
        summary: 'Every problem type the API answers with (the registry), as JSON or an HTML page',
        response: {
          200: fileAnswer('The problem types', ['application/json', 'text/html'], {
            json: {
              type: 'object',
              properties: { items: { type: 'array', items: { $ref: '#/components/schemas/ProblemType' } } },
              required: ['items'],
            },
            examples: {
              'application/json': { items: ALL },
              'text/html': page('Problem types', '<h1>…</h1>'),
            },
          }),
          ...errorResponses(),
        },
      },
    },
    async (request, reply) => {
      if (!wantsHtml(request)) return reply.type('application/json').send({ items: ALL });
      const list = ALL.map(
        (p) =>
          `<li><a href="${escape(p.type)}"><code>${escape(p.code)}</code></a> (${p.status}): ${escape(p.title)}</li>`,
      ).join('');
      return reply
        .type('text/html; charset=utf-8')
        .send(page('Problem types', `<h1>Problem types</h1><ul>${list}</ul>`));
    },
  );

  app.get(
    '/problems/:type',
    {
      schema: {
        operationId: 'getProblemType',
        tags: ['problems'],
        summary: 'What a problem type means and what the client can do, as JSON or an HTML page',
        params: z.object({
          type: z
            .string()
            .max(100)
            .meta({
              description: 'The problem type’s name, as at the end of a problem document’s `type`',
              example: problemSlug('precondition_failed'),
            }),
        }),
        response: {
          200: fileAnswer('The problem type', ['application/json', 'text/html'], {
            json: { $ref: '#/components/schemas/ProblemType' },
            examples: { 'text/html': page('Phiên bản đã thay đổi', htmlOf(describe('precondition_failed'))) },
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request, reply) => {
      const code = problemCodeOf(request.params.type);
      if (!code) throw problems.notFound('problem type', `no problem type ${request.params.type}`);
      const p = describe(code);
      if (!wantsHtml(request)) return reply.type('application/json').send(p);
      return reply.type('text/html; charset=utf-8').send(page(p.title, htmlOf(p)));
    },
  );
}
