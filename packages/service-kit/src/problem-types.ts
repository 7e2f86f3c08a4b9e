/**
 * Every problem type the suite answers with (RFC 9457), in one registry: a problem's `code` names
 * its entry, its `type` is `/problems/<code with dashes>`, a page the gateway serves from this
 * registry, and the merged OpenAPI document lists them. A route cannot throw a code that is not
 * here (the code parameters are typed by this registry).
 *
 * The type is a relative URI reference, resolved against the API's own address (the gateway the
 * client called), so it resolves wherever the suite is deployed.
 */
export interface ProblemTypeInfo {
  /** The status it is answered with. */
  status: number;
  /** The problem's title, as the answer carries it. */
  title: string;
  /** What happened and what the client can do. */
  description: string;
}

const t = (status: number, title: string, description: string): ProblemTypeInfo => ({
  status,
  title,
  description,
});
const INVALID = 'Yêu cầu không hợp lệ';
const CONFLICT = 'Xung đột trạng thái';
const UNPROCESSABLE = 'Không thể xử lý yêu cầu';

export const PROBLEM_TYPES = {
  // The HTTP layer, every service
  validation_failed: t(
    400,
    'Dữ liệu không hợp lệ',
    'A parameter, header or body member is invalid; `errors` names each one by a JSON pointer.',
  ),
  malformed_request: t(
    400,
    INVALID,
    'The request could not be read (headers too large, URL too long, broken framing).',
  ),
  bad_request: t(
    400,
    INVALID,
    'The request is not one the route accepts (malformed JSON, an empty body where one is needed, a wrong content length).',
  ),
  invalid_value: t(
    400,
    'Dữ liệu không hợp lệ',
    'A value cannot be stored as sent (a NUL character, a number out of range).',
  ),
  invalid_cursor: t(400, INVALID, 'The `cursor` is not one this API gave: start again from the first page.'),
  invalid_if_match: t(
    400,
    INVALID,
    'If-Match is not an ETag this API gave: read the resource and send its ETag.',
  ),
  invalid_range: t(400, INVALID, 'The period asked for is not a valid range of dates.'),
  range_too_long: t(
    400,
    INVALID,
    'The period asked for is longer than the API answers at once: ask for a shorter one.',
  ),
  missing_identity: t(
    401,
    'Chưa xác thực',
    'A service was called without the gateway: call the API through the gateway.',
  ),
  invalid_identity: t(
    401,
    'Chưa xác thực',
    'The identity assertion the gateway signed is invalid or expired.',
  ),
  unauthorized: t(
    401,
    'Chưa xác thực',
    'No credentials, or an unknown, revoked or expired API key or token: send X-API-Key or Authorization: Bearer.',
  ),
  callbacks_disabled: t(
    401,
    'Chưa xác thực',
    'Delivery reports are not accepted: no shared token is configured for providers.',
  ),
  forbidden: t(
    403,
    'Không có quyền',
    'Your roles or your agency do not allow this operation on this resource.',
  ),
  not_found: t(404, 'Không tìm thấy', 'The resource does not exist, or is outside what you may see.'),
  route_not_found: t(
    404,
    'Không tìm thấy',
    'No operation of the API has this method and path: see /openapi.json.',
  ),
  method_not_allowed: t(405, INVALID, 'The path exists but not with this method.'),
  not_acceptable: t(406, INVALID, 'The API cannot answer in the media type the Accept header asks for.'),
  conflict: t(409, CONFLICT, 'The request conflicts with the state of the resource.'),
  constraint_violation: t(
    409,
    'Xung đột dữ liệu',
    'The change conflicts with data already held (a duplicate, a missing reference).',
  ),
  precondition_failed: t(
    412,
    'Phiên bản đã thay đổi',
    'The resource changed since you read it (If-Match is stale): read it again, then retry.',
  ),
  payload_too_large: t(413, 'Dữ liệu quá lớn', 'The body is larger than this operation accepts.'),
  body_too_large: t(413, 'Dữ liệu quá lớn', 'The body is larger than the gateway accepts.'),
  uri_too_long: t(414, INVALID, 'The URL is longer than the API accepts.'),
  unsupported_media_type: t(
    415,
    INVALID,
    'The body’s Content-Type is not one this operation accepts: see its requestBody in the spec.',
  ),
  idempotency_key_in_use: t(
    409,
    CONFLICT,
    'A request with this Idempotency-Key is still being processed: retry in a moment.',
  ),
  idempotency_key_reused: t(
    422,
    UNPROCESSABLE,
    'This Idempotency-Key was used with a different request: use a new key for a new request.',
  ),
  precondition_required: t(
    428,
    'Thiếu điều kiện',
    'The change needs If-Match with the ETag of the copy it is based on.',
  ),
  too_many_requests: t(
    429,
    'Quá nhiều yêu cầu',
    'Too many requests for this key, token or address: wait Retry-After seconds.',
  ),
  headers_too_large: t(431, INVALID, 'The request headers are larger than the API accepts.'),
  internal_error: t(500, 'Lỗi hệ thống', 'An unexpected error; quote the requestId when reporting it.'),
  not_ready: t(503, 'Dịch vụ chưa sẵn sàng', 'A dependency of the service is down or it is shutting down.'),
  overloaded: t(503, 'Hệ thống quá tải', 'The gateway is shedding load: wait Retry-After seconds.'),
  service_unavailable: t(
    503,
    'Dịch vụ không khả dụng',
    'The service behind the gateway did not answer in time.',
  ),

  // Catalogue
  agency_exists: t(409, CONFLICT, 'An agency with this code exists.'),
  agency_cycle: t(409, CONFLICT, 'The parent chosen would make an agency its own ancestor.'),
  field_exists: t(409, CONFLICT, 'A field with this code exists.'),
  procedure_exists: t(409, CONFLICT, 'A procedure with this code exists.'),
  invalid_transition: t(
    409,
    CONFLICT,
    'The action is not allowed in the current status (the answer names it).',
  ),
  invalid_decision: t(400, INVALID, 'The decision (number, signing and effective dates) is not valid.'),
  decision_required: t(
    422,
    UNPROCESSABLE,
    'Publishing, suspending, resuming or abolishing needs the decision that orders it.',
  ),
  decision_in_future: t(422, UNPROCESSABLE, 'The decision is signed after today.'),
  effective_before_version: t(422, UNPROCESSABLE, 'The decision takes effect before the version it changes.'),
  amendment_not_after_current: t(
    422,
    UNPROCESSABLE,
    'An amendment must take effect after the current version.',
  ),
  own_parent: t(422, UNPROCESSABLE, 'An agency cannot be its own parent.'),
  unknown_parent: t(422, UNPROCESSABLE, 'The parent agency does not exist.'),
  unknown_agency: t(422, UNPROCESSABLE, 'An agency the request names does not exist.'),
  unknown_reference: t(422, UNPROCESSABLE, 'A field or agency the procedure names does not exist.'),
  import_rejected: t(
    422,
    UNPROCESSABLE,
    'The file has row errors and nothing was imported; the answer lists each by row and column.',
  ),
  national_package_rejected: t(
    422,
    UNPROCESSABLE,
    'Records of the national package were refused and nothing was imported; the answer lists each record with the path and reason of every issue.',
  ),
  national_package_unreadable: t(
    400,
    INVALID,
    'The body holds no national procedure records (a list, one record, or a list answer with the records under the name the mapping gives).',
  ),
  national_source_not_configured: t(
    409,
    CONFLICT,
    'No national source is configured (NATIONAL_CATALOGUE_URL); upload the package instead.',
  ),
  unsupported_spreadsheet: t(400, INVALID, 'Send the spreadsheet as XLSX or CSV with its Content-Type.'),
  unreadable_spreadsheet: t(400, INVALID, 'The spreadsheet could not be read.'),

  // Intake: dossiers
  missing_components: t(
    422,
    UNPROCESSABLE,
    'Components the procedure requires are missing from the dossier.',
  ),
  unknown_procedure: t(422, UNPROCESSABLE, 'The procedure is not in the catalogue, or not open for filing.'),
  procedure_mismatch: t(
    422,
    UNPROCESSABLE,
    'The request does not match the procedure (its agency, case or channel).',
  ),
  unknown_case: t(422, UNPROCESSABLE, 'The case named is not one of the procedure’s.'),
  unknown_dossier: t(422, UNPROCESSABLE, 'A dossier the request names does not exist.'),
  no_due_date: t(409, CONFLICT, 'The dossier has no due date yet (not received).'),
  reschedule_not_allowed: t(
    422,
    UNPROCESSABLE,
    'The dossier cannot be rescheduled: too many reschedules, too late, or the date is not later.',
  ),
  step_done: t(409, CONFLICT, 'This step of the inter-agency route is already complete.'),
  handover_not_postal: t(400, INVALID, 'A postal handover time applies only to a dossier returned by post.'),
  invalid_handover_time: t(400, INVALID, 'The handover time is not a valid instant, or is in the future.'),
  paid_in_future: t(400, INVALID, 'The payment time is in the future.'),
  payment_exists: t(409, CONFLICT, 'A payment with this receipt number is recorded.'),
  already_rated: t(409, CONFLICT, 'The dossier (or answer) has been rated.'),
  not_rateable: t(409, CONFLICT, 'Only a finished dossier (or an answered feedback) can be rated.'),
  slip_not_applicable: t(409, CONFLICT, 'This slip does not apply to the dossier in its status.'),
  invalid_import: t(400, INVALID, 'The import is not { sourceSystem, dossiers: [...] }.'),
  source_system_required: t(400, INVALID, 'A CSV import names its source with ?sourceSystem=.'),
  rule_set_exists: t(409, CONFLICT, 'A rule set with this id, or taking effect on this date, exists.'),
  invalid_official_days: t(
    422,
    UNPROCESSABLE,
    'The official days off and working days overlap or fall outside the year.',
  ),

  // Intake: notifications
  channel_not_offered: t(422, UNPROCESSABLE, 'The event is not sent on this channel.'),
  email_required: t(422, UNPROCESSABLE, 'An officer receiving e-mail needs an e-mail address.'),
  subject_not_allowed: t(422, UNPROCESSABLE, 'Only e-mail templates have a subject.'),
  unknown_placeholder: t(422, UNPROCESSABLE, 'The template uses a placeholder the event does not provide.'),
  template_edited_concurrently: t(409, CONFLICT, 'Someone saved the template meanwhile: read it again.'),

  // Periods (kpi figures, reports)
  invalid_input: t(400, INVALID, 'A parameter is not valid; `errors` names it.'),
  invalid_period: t(
    400,
    INVALID,
    'The period is not one the API reads (2026, 2026-Q1, 2026-03, 2026-01-01..2026-03-31).',
  ),
  period_out_of_range: t(400, INVALID, 'The period lies outside the years the API holds figures for.'),
  period_too_long: t(400, INVALID, 'The period is longer than the API answers at once.'),
  period_in_future: t(422, UNPROCESSABLE, 'The period has not started yet.'),
  period_not_over: t(422, UNPROCESSABLE, 'A report of this kind waits until its period is over.'),
  invalid_agency_code: t(400, INVALID, 'An agency code is not well formed.'),

  // KPI
  no_rule_set: t(422, UNPROCESSABLE, 'No indicator rule set is in force for the period.'),
  invalid_row: t(400, INVALID, 'The statistics row asked for is not one of the form’s.'),
  unknown_row: t(404, 'Không tìm thấy', 'The statistics table has no such row.'),
  unknown_criterion: t(422, UNPROCESSABLE, 'The rule set names a criterion the service cannot count.'),
  not_reconciled: t(409, CONFLICT, 'The figures are not reconciled with intake yet.'),
  still_unreadable: t(422, UNPROCESSABLE, 'The dead letter still cannot be applied.'),
  figures_inconsistent: t(
    500,
    'Lỗi hệ thống',
    'The figures failed their own consistency check; nothing was answered.',
  ),

  // Reports
  invalid_params: t(422, UNPROCESSABLE, 'The report’s parameters are not valid for its kind.'),
  no_narrative: t(422, UNPROCESSABLE, 'The report kind needs a narrative part.'),
  unknown_kind: t(409, CONFLICT, 'No report of this kind can be made.'),
  report_in_progress: t(409, CONFLICT, 'The report is still being made.'),
  report_not_done: t(409, CONFLICT, 'The report is not done: its files are not there yet.'),
  not_latest_version: t(409, CONFLICT, 'Only the latest version of a report can be revised or issued.'),
  superseded: t(409, CONFLICT, 'A later version of the report supersedes this one.'),
  identity_broken: t(409, CONFLICT, 'The report’s issued copy no longer matches its files.'),

  // Gateway
  database_unavailable: t(
    503,
    'Dịch vụ tạm thời không khả dụng',
    'The database cannot be reached (a restart, a lost connection): nothing was changed; retry after the Retry-After seconds.',
  ),
  invalid_acting_officer: t(
    400,
    INVALID,
    'The X-Acting-Officer-Id/-Name/-Unit headers are missing a part or are not percent-encoded UTF-8; `errors` names the header.',
  ),
  acting_officer_not_allowed: t(
    403,
    'Không có quyền',
    'Only an API key an administrator allowed (mayStateOfficer) may state the officer acting; an officer token names its own person.',
  ),
  invalid_docx: t(
    422,
    UNPROCESSABLE,
    'The report template is not a DOCX document (a ZIP with word/document.xml) the renderer can read.',
  ),
  template_placeholders_missing: t(
    422,
    UNPROCESSABLE,
    'The report template lacks required placeholders ({{issuer}}, {{title}}, {{subtitle}}, {{body}}); `errors` names each missing one.',
  ),
  invalid_target: t(
    422,
    UNPROCESSABLE,
    'A target names an unknown indicator, a wrong comparator or a value out of range; `errors` names each field or sheet row.',
  ),
  invalid_framework: t(
    422,
    UNPROCESSABLE,
    "A reform-index framework is not a valid tree (children's maxima above the parent's, a computed criterion without its rule); `errors` names each node.",
  ),
  unknown_framework: t(404, 'Không tìm thấy', 'No reform-index framework with this code for the year asked.'),
  framework_exists: t(
    409,
    CONFLICT,
    'A framework with this code and year exists already: change it instead.',
  ),
  framework_published: t(
    409,
    CONFLICT,
    'A result of this framework is published: its tree no longer changes (copy it to a new year).',
  ),
  scores_do_not_fit: t(
    409,
    CONFLICT,
    'The changed tree no longer fits the scores entered (a criterion made computed, a maximum below a score); `errors` names them.',
  ),
  invalid_score: t(
    422,
    UNPROCESSABLE,
    "A manual score is below zero, above the criterion's maximum, or on a computed criterion; `errors` names it.",
  ),
  result_published: t(
    409,
    CONFLICT,
    "The agency's result for this framework and year is published (frozen): scores no longer change.",
  ),
  invalid_plan_task: t(
    422,
    UNPROCESSABLE,
    'A reform plan task is incomplete or inconsistent; `errors` names each field.',
  ),
  invalid_register_entry: t(
    422,
    UNPROCESSABLE,
    'An entry of a reform register (documents, inspections, communication) is incomplete; `errors` names each field.',
  ),
  upstream_unavailable: t(
    502,
    'Dịch vụ tạm thời không khả dụng',
    'The service behind the gateway could not be reached.',
  ),
  upstream_timeout: t(
    504,
    'Dịch vụ tạm thời không khả dụng',
    'The service behind the gateway did not answer in time.',
  ),
  already_revoked: t(409, CONFLICT, 'The API key is revoked.'),
  // The national sync (intake)
  national_sync_off: t(
    409,
    CONFLICT,
    'No connection to the national public-service portal is configured (NATIONAL_SYNC_URL): there is nothing to compare with.',
  ),
  national_endpoint_failed: t(
    502,
    'Cổng quốc gia không trả lời đúng',
    'The national endpoint failed, timed out or answered something other than the documented JSON; `detail` says what, and the run is kept with its error.',
  ),
} as const satisfies Record<string, ProblemTypeInfo>;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

/** Where the gateway serves the page of each problem type. */
export const PROBLEM_PAGE_PREFIX = '/problems/';

export const problemSlug = (code: ProblemCode): string => code.replace(/_/g, '-');

/** The `type` of a problem: the page describing it. */
export function problemTypeFor(code: ProblemCode): string {
  return PROBLEM_PAGE_PREFIX + problemSlug(code);
}

/** The registered code a page's slug names, if any. */
export function problemCodeOf(slug: string): ProblemCode | undefined {
  const code = slug.replace(/-/g, '_');
  return Object.hasOwn(PROBLEM_TYPES, code) ? (code as ProblemCode) : undefined;
}

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_TYPES, code);
}

const BY_STATUS: Record<number, ProblemCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  428: 'precondition_required',
  429: 'too_many_requests',
  431: 'headers_too_large',
  503: 'service_unavailable',
};

/** The registered type of an error the framework raised with its own code (FST_ERR_...), by status. */
export function problemCodeForStatus(status: number): ProblemCode {
  return BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}
