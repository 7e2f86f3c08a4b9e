/**
 * What an integrator writes against the generated client (@tthc/client), compiled in a test with
 * tsc in its strictest settings (tests/contract/tsconfig.json: strict, noUncheckedIndexedAccess,
 * exactOptionalPropertyTypes) and run against the suite by tests/e2e/typed-client.test.ts. No
 * cast, no `any`: when the contract changes (a path, a field, a media type), this stops compiling.
 */
import { fileBody, type Schema, type TthcClient } from '@tthc/client';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What every problem document of the API carries (RFC 9457); some add their own members. */
type Problem = Pick<Schema<'ProblemDetails'>, 'type' | 'code' | 'status'> & { detail?: string };

/** A failed call, with the problem document the API answered. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(`HTTP ${status}: ${problem?.code ?? 'no problem document'} ${problem?.detail ?? ''}`);
  }
}

/** File a dossier; retried with the same key, the API answers the first filing again. */
export async function fileDossier(
  client: TthcClient,
  dossier: Schema<'FileDossier'>,
  idempotencyKey: string,
): Promise<Schema<'Dossier'>> {
  const { data, error, response } = await client.POST('/v1/dossiers', {
    params: { header: { 'idempotency-key': idempotencyKey } },
    body: dossier,
  });
  if (!data) throw new ApiProblem(response.status, error);
  return data;
}

/** A slip of a dossier as the PDF the desk prints. */
export async function downloadSlip(
  client: TthcClient,
  code: string,
  form: '01' | '02' | '03' | '04' | '05',
): Promise<{ pdf: Blob; type: string | null }> {
  const { data, error, response } = await client.GET('/v1/dossiers/{code}/slips/{form}', {
    params: { path: { code, form } },
    parseAs: 'blob',
  });
  if (!data) throw new ApiProblem(response.status, error);
  return { pdf: data, type: response.headers.get('content-type') };
}

/** The catalogue as the spreadsheet the department edits. */
export async function exportCatalogueXlsx(client: TthcClient): Promise<Blob> {
  const { data, error, response } = await client.GET('/v1/procedures/export', {
    params: { query: { format: 'xlsx' } },
    parseAs: 'blob',
  });
  if (!data) throw new ApiProblem(response.status, error);
  return data;
}

/** Upload a catalogue spreadsheet as a dry run: every row error, nothing changed. */
export async function checkCatalogueSpreadsheet(
  client: TthcClient,
  sheet: Blob,
): Promise<Schema<'ImportReport'>> {
  const { data, error, response } = await client.POST('/v1/procedures/import/spreadsheet', {
    params: { query: { dryRun: 'true' } },
    body: sheet,
    bodySerializer: fileBody,
    headers: { 'content-type': XLSX_TYPE },
  });
  if (!data) throw new ApiProblem(response.status, error);
  return data;
}

/** Ask for a report; the answer names where to poll it. */
export async function requestReport(
  client: TthcClient,
  request: Schema<'CreateReport'>,
): Promise<{ report: Schema<'Report'>; location: string | null }> {
  const { data, error, response } = await client.POST('/v1/reports', { body: request });
  if (!data) throw new ApiProblem(response.status, error);
  return { report: data, location: response.headers.get('location') };
}

/** A report's progress; when done, its files. */
export async function readReport(client: TthcClient, id: string): Promise<Schema<'Report'>> {
  const { data, error, response } = await client.GET('/v1/reports/{id}', { params: { path: { id } } });
  if (!data) throw new ApiProblem(response.status, error);
  return data;
}

/** What a reporting tool reads from a finished report: the period and each file's format and digest. */
export function summarize(report: Schema<'Report'>): {
  period: string | null;
  done: boolean;
  files: { format: Schema<'Report'>['files'][number]['format']; sha256: string; size: number }[];
} {
  return {
    period: report.period?.label ?? null,
    done: report.status === 'done',
    files: report.files.map((f) => ({ format: f.format, sha256: f.sha256, size: f.size })),
  };
}
