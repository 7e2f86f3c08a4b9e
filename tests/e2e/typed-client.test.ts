import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTthcClient, type TthcClient } from '@tthc/client';
import { eventually } from '@tthc/testkit';
import JSZip from 'jszip';
import {
  checkCatalogueSpreadsheet,
  downloadSlip,
  exportCatalogueXlsx,
  fileDossier,
  readReport,
  requestReport,
  summarize,
} from '../contract/integrator';
import { startSuite, type Suite } from '../support/suite';

/**
 * Issue 16, item 5: the client generated from openapi/openapi.json, as an integrator uses it. The
 * program in tests/contract compiles with tsc at its strictest, then runs against the suite
 * through the gateway: it uploads an import file, downloads a slip PDF and an export XLSX, and
 * reads a report's typed results.
 */
const ROOT = join(__dirname, '..', '..');
const SPEC = JSON.parse(readFileSync(join(ROOT, 'openapi/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>;
};

/** The headers the spec declares for this answer that the answer does not carry. */
function missingHeaders(path: string, method: string, response: Response): string[] {
  const declared = SPEC.paths[path]?.[method]?.responses[String(response.status)]?.headers ?? {};
  return Object.keys(declared).filter((name) => !response.headers.has(name));
}
const tsc = (project: string) =>
  spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], {
    cwd: ROOT,
    encoding: 'utf8',
  });

describe('the integrator program against the generated client', () => {
  it('compiles under strict, noUncheckedIndexedAccess and exactOptionalPropertyTypes', () => {
    const run = tsc('tests/contract/tsconfig.json');
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 120_000);

  it('is what the README shows for the portal (tests/contract/portal.ts)', () => {
    const program = readFileSync(join(ROOT, 'tests/contract/portal.ts'), 'utf8');
    const shown = program.slice(program.indexOf('export async function portalDay'));
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(shown.trim());
  });

  it('is what the README shows for dossiers from the national portal (tests/contract/national-inbound.ts)', () => {
    const program = readFileSync(join(ROOT, 'tests/contract/national-inbound.ts'), 'utf8');
    const shown = program.slice(program.indexOf('export async function fromNationalPortal'));
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(shown.trim());
  });

  it('stops compiling when a call leaves the contract (a path, a field, a media type)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tthc-contract-'));
    writeFileSync(
      join(dir, 'broken.ts'),
      [
        `import { createTthcClient } from '${join(ROOT, 'packages/client/src').replace(/\\/g, '/')}';`,
        `const client = createTthcClient({ baseUrl: 'http://x' });`,
        `export const a = client.GET('/v1/dossier/{code}', { params: { path: { code: 'x' } } });`,
        `export const b = client.POST('/v1/dossiers', { body: { procedureCode: '1.004579', applicant: { fullName: 'A' } } });`,
        `export const c = client.GET('/v1/dossiers/{code}/slips/{form}', { params: { path: { code: 'x', form: '06' } } });`,
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(ROOT, 'tests/contract/tsconfig.json'),
        compilerOptions: { typeRoots: [join(ROOT, 'node_modules/@types')] },
        files: ['broken.ts'],
      }),
    );
    const run = tsc(join(dir, 'tsconfig.json'));
    expect(run.status).not.toBe(0);
    const errors = (run.stdout.match(/broken\.ts\((\d+),/g) ?? []).map((m) => m.replace(/\D+/g, ''));
    // each of the three calls is refused
    expect([...new Set(errors)].sort()).toEqual(['3', '4', '5']);
  }, 120_000);
});

describe('the integrator program through the gateway', () => {
  let suite: Suite;
  let client: TthcClient;
  const now = new Date('2026-04-02T02:00:00Z');

  beforeAll(async () => {
    suite = await startSuite(() => now, { demoCatalogue: true });
    client = createTthcClient({ baseUrl: suite.url, apiKey: suite.adminKey });
  }, 60_000);
  afterAll(() => suite.close());

  it('downloads the catalogue export as XLSX and uploads it back as an import file (dry run)', async () => {
    const sheet = await exportCatalogueXlsx(client);
    expect(sheet.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    // an XLSX is a zip holding the workbook
    const zip = await JSZip.loadAsync(Buffer.from(await sheet.arrayBuffer()));
    expect(zip.file('xl/workbook.xml')).not.toBeNull();

    const report = await checkCatalogueSpreadsheet(client, sheet);
    expect(report).toMatchObject({ dryRun: true, applied: false, errors: [] });
    expect(
      report.procedures.unchanged + report.procedures.created + report.procedures.updated,
    ).toBeGreaterThan(0);
  });

  it('files a dossier once for one Idempotency-Key and downloads its receipt as a PDF', async () => {
    const procedure = await client.GET('/v1/procedures/{code}', { params: { path: { code: '1.004579' } } });
    const components = (procedure.data?.components ?? [])
      .filter((c) => c.case === null)
      .map((c) => ({ name: c.name, digitized: true }));
    const dossier = {
      procedureCode: '1.004579',
      source: 'desk' as const,
      channel: 'direct' as const,
      applicant: { kind: 'person' as const, fullName: 'Nguyễn Văn An', phone: '0905123456' },
      components,
    };
    const filed = await eventually(
      async () => fileDossier(client, dossier, 'typed-client-0001').catch(() => undefined),
      { what: 'the intake to know the demo procedure', timeoutMs: 20_000 },
    );
    expect(filed.status).toBe('received');
    expect((await fileDossier(client, dossier, 'typed-client-0001')).code).toBe(filed.code);

    const { pdf, type } = await downloadSlip(client, filed.code, '01');
    expect(type).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });

  it('answers with the headers the spec declares (X-Request-Id, rate limits, ETag, Cache-Control, Content-Disposition)', async () => {
    const read = await client.GET('/v1/procedures/{code}', { params: { path: { code: '1.004579' } } });
    expect(missingHeaders('/v1/procedures/{code}', 'get', read.response)).toEqual([]);
    const list = await client.GET('/v1/dossiers', { params: { query: { limit: 5 } } });
    expect(missingHeaders('/v1/dossiers', 'get', list.response)).toEqual([]);
    const exported = await client.GET('/v1/procedures/export', {
      params: { query: { format: 'csv' } },
      parseAs: 'text',
    });
    expect(missingHeaders('/v1/procedures/export', 'get', exported.response)).toEqual([]);
    const refused = await client.GET('/v1/dossiers/{code}', { params: { path: { code: 'KHONG-CO' } } });
    expect(refused.response.status).toBe(404);
    expect(missingHeaders('/v1/dossiers/{code}', 'get', refused.response)).toEqual([]);
  });

  it('requests a report and reads its typed results when done', async () => {
    const { report, location } = await requestReport(client, {
      kind: 'reform-report',
      params: {
        agencyCode: '000.00.17.H55',
        period: '2026-Q1',
        narrative: {
          // Section I's counts come from kpi's reform plan; the officer writes the text.
          direction: {
            text: 'Sở Y tế ban hành kế hoạch cải cách hành chính năm 2026 và triển khai đúng tiến độ.',
          },
          assessment: 'Sở Y tế hoàn thành đúng tiến độ các nhiệm vụ cải cách hành chính quý I.',
        },
      },
      formats: ['xlsx', 'pdf'],
    });
    expect(location).toBe(`/v1/reports/${report.id}`);
    const done = await eventually(
      async () => {
        const r = await readReport(client, report.id);
        if (r.status === 'failed') throw new Error(`report failed: ${r.reason ?? ''}`);
        return r.status === 'done' ? r : undefined;
      },
      { what: 'the report flow to finish', timeoutMs: 30_000 },
    );
    const summary = summarize(done);
    expect(summary.period).toBe('2026-Q1');
    expect(summary.done).toBe(true);
    expect(summary.files.map((f) => f.format)).toEqual(expect.arrayContaining(['xlsx', 'pdf']));
    expect(summary.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256) && f.size > 0)).toBe(true);
  }, 60_000);
});
