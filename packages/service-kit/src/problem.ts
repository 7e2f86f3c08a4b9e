import { z } from 'zod';
import { problemTypeFor, type ProblemCode } from './problem-types';

/** One field-level error: where (a JSON pointer into the request part) and why. */
export const FieldError = z.object({
  in: z.enum(['body', 'query', 'params', 'headers']),
  pointer: z
    .string()
    .meta({ description: 'JSON pointer to the offending value within that part of the request' }),
  detail: z.string(),
});
export type FieldError = z.infer<typeof FieldError>;

/** RFC 9457 problem details, the body of every error answer of the suite. */
export const ProblemDetails = z
  .object({
    type: z.string().meta({
      description:
        'The problem type: a URI reference to its page, /problems/{type}, served by the gateway (relative to the API address)',
    }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string(),
    requestId: z.string().optional(),
    errors: z.array(FieldError).optional(),
  })
  .catchall(z.unknown())
  .meta({
    id: 'ProblemDetails',
    examples: [
      {
        type: '/problems/validation-failed',
        title: 'Dữ liệu không hợp lệ',
        status: 400,
        detail: 'body/name: Too small: expected string to have >=1 characters',
        instance: '/v1/fields',
        code: 'validation_failed',
        requestId: '7b0c8a6e-3f3c-4a55-9a43-2f6a1c1f0f11',
        errors: [
          { in: 'body', pointer: '/name', detail: 'Too small: expected string to have >=1 characters' },
        ],
      },
    ],
  });
export type ProblemDetails = z.infer<typeof ProblemDetails>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An error a route throws on purpose; the error handler turns it into problem+json. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;

  constructor(
    status: number,
    code: ProblemCode,
    title: string,
    detail?: string,
    options: { errors?: FieldError[]; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail ?? title);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
  }

  get type(): string {
    return problemTypeFor(this.code);
  }
}

export const problems = {
  badRequest: (code: ProblemCode, detail: string, errors?: FieldError[]) =>
    new HttpProblem(400, code, 'Yêu cầu không hợp lệ', detail, errors ? { errors } : {}),
  notFound: (what: string, detail?: string) =>
    new HttpProblem(404, 'not_found', 'Không tìm thấy', detail ?? `${what} not found`),
  conflict: (code: ProblemCode, detail: string, extensions?: Record<string, unknown>) =>
    new HttpProblem(409, code, 'Xung đột trạng thái', detail, extensions ? { extensions } : {}),
  preconditionFailed: (detail: string) =>
    new HttpProblem(412, 'precondition_failed', 'Phiên bản đã thay đổi', detail),
  unprocessable: (code: ProblemCode, detail: string, errors?: FieldError[]) =>
    new HttpProblem(422, code, 'Không thể xử lý yêu cầu', detail, errors ? { errors } : {}),
  unauthorized: (detail: string) => new HttpProblem(401, 'unauthorized', 'Chưa xác thực', detail),
  forbidden: (detail: string, errors?: FieldError[]) =>
    new HttpProblem(403, 'forbidden', 'Không có quyền', detail, errors ? { errors } : {}),
};

/** Response schemas for the error statuses a route can answer, for its OpenAPI entry. */
export function errorResponses(...statuses: number[]): Record<number, typeof ProblemDetails> {
  const out: Record<number, typeof ProblemDetails> = {};
  for (const s of [...new Set([400, 500, ...statuses])]) out[s] = ProblemDetails;
  return out;
}

/** The 422 answer of a refused import: the report's fields as extensions of a problem document. */
export function rejectedReport<T extends z.ZodObject>(report: T, id: string) {
  return report
    .extend({
      type: z.string(),
      title: z.string(),
      status: z.literal(422),
      code: z.string(),
      detail: z.string(),
      instance: z.string(),
      requestId: z.string(),
      errorCount: z.number().int().meta({ description: 'all the errors; the list holds the first 1000' }),
    })
    .meta({ id });
}
