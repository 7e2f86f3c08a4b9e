import { createHash } from 'node:crypto';
import { eventually } from '@tthc/testkit';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import pdfParse from 'pdf-parse/lib/pdf-parse.js';
import { SignJWT } from 'jose';
import { startSuite, TEST_JWT_SECRET, type Suite } from '../support/suite';

/**
 * Issue 15 through the gateway: dossiers of the demo department (Sở Y tế) driven through intake in
 * the first quarter of 2026; after the quarter, its reform report requested, polled to done and
 * downloaded as XLSX, DOCX and PDF, the figures in each as kpi counts them.
 */
let suite: Suite;
let now = new Date('2026-01-05T02:00:00Z');
const at = (local: string) => {
  now = new Date(`${local.replace(' ', 'T')}:00+07:00`);
};
const DEPARTMENT = '000.00.17.H55';

beforeAll(async () => {
  suite = await startSuite(() => now, { demoCatalogue: true });
}, 60_000);
afterAll(() => suite.close());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(suite.url + path, {
    method,
    headers: {
      ...suite.adminHeaders,
      ...headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    type,
    headers: res.headers,
    bytes,
    body: type.includes('json') && bytes.length ? (JSON.parse(bytes.toString('utf8')) as any) : undefined,
  };
}

const act = async (code: string, path: string, body: unknown = {}) => {
  const current = await call('GET', `/v1/dossiers/${code}`);
  const res = await call('POST', `/v1/dossiers/${code}/${path}`, body, {
    'if-match': current.headers.get('etag') ?? '',
  });
  expect({ code, path, status: res.status, detail: res.body?.detail }).toEqual({
    code,
    path,
    status: 200,
    detail: undefined,
  });
  return res.body as { code: string };
};
/** The demo procedure 1.004579 (Sở Y tế, Dược phẩm) with every component it requires. */
let components: { name: string; digitized: boolean }[] | undefined;
const file = async (channel: 'direct' | 'online' | 'postal', source: 'desk' | 'portal' = 'desk') => {
  components ??= (await call('GET', '/v1/procedures/1.004579')).body.components
    .filter((c: { case: string | null }) => c.case === null)
    .map((c: { name: string }) => ({ name: c.name, digitized: true }));
  const res = await call('POST', '/v1/dossiers', {
    procedureCode: '1.004579',
    source,
    channel,
    applicant: { kind: 'person', fullName: 'Nguyễn Văn An', phone: '0903123456' },
    components,
  });
  if (res.status !== 201) throw new Error(`filed ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.code as string;
};

const officer = async (roles: string[], agencyCode: string | null) => ({
  authorization: `Bearer ${await new SignJWT({ roles, agency_code: agencyCode })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`officer.${roles[0]}`)
    .setIssuer('https://sso.test')
    .setAudience('tthc')
    .setIssuedAt()
    .setExpirationTime('30m')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET))}`,
});

async function pdfText(bytes: Buffer): Promise<string> {
  const pages: string[] = [];
  await pdfParse(bytes, {
    pagerender: async (page) => {
      const { items } = await page.getTextContent({
        normalizeWhitespace: false,
        disableCombineTextItems: false,
      });
      const text = items.map((i) => i.str).join(' ');
      pages.push(text);
      return text;
    },
  });
  return pages.join(' ').replace(/\s+/g, ' ');
}

describe('the quarterly reform report of the demo department', () => {
  let report: { id: string; files: { format: string; sha256: string; href: string }[] };

  it('is requested after the quarter, collected from kpi and the catalogue, and done', async () => {
    const direct = await eventually(async () => file('direct'), {
      what: 'intake to know the demo procedures',
      timeoutMs: 20_000,
    });
    await file('postal');
    const online = (await act(await file('online', 'portal'), 'accept')).code;
    at('2026-01-09 09:00');
    await act(direct, 'resolve', { eResult: true, resultDigitized: true });
    at('2026-01-12 09:00');
    await act(online, 'resolve', { eResult: true });
    // kpi has counted the quarter's three dossiers.
    await eventually(
      async () => {
        const res = await call('GET', `/v1/kpi/statistics?period=2026-Q1&agencyCode=${DEPARTMENT}`);
        return res.body?.total?.figures?.received === 3 && res.body.total.figures.resolved === 2
          ? true
          : undefined;
      },
      { what: 'kpi to count the quarter', timeoutMs: 30_000 },
    );

    at('2026-04-02 09:00');
    // The department's reform plan and registers, as its leader keeps them in kpi (section I).
    const leader = await officer(['leader'], DEPARTMENT);
    const task = (title: string, dueOn: string, completedOn: string | null, origin = 'own') => ({
      agencyCode: DEPARTMENT,
      year: 2026,
      origin,
      assignedBy: origin === 'province' ? 'Kế hoạch 10/KH-UBND ngày 15/01/2026' : null,
      title,
      ownerUnit: 'Văn phòng Sở',
      dueOn,
      status: completedOn ? 'done' : 'in_progress',
      completedOn,
    });
    const entry = (kind: string, onDate: string, findings: number | null = null) => ({
      agencyCode: DEPARTMENT,
      kind,
      onDate,
      title: `Hoạt động ${kind} ngày ${onDate}`,
      documentNumber: kind === 'document' ? `${onDate.slice(8)}/KH-SYT` : null,
      findings,
    });
    for (const body of [
      task('Ban hành kế hoạch cải cách hành chính năm 2026', '2026-01-31', '2026-01-20'),
      task('Rà soát quy trình nội bộ lĩnh vực dược', '2026-03-13', null, 'province'),
      task('Số hóa kết quả giải quyết thủ tục hành chính', '2026-09-30', null),
    ])
      expect((await call('POST', '/v1/kpi/plan-tasks', body, leader)).status).toBe(201);
    for (const body of [
      entry('document', '2026-01-20'),
      entry('document', '2026-02-05'),
      entry('document', '2025-12-20'),
      entry('inspection', '2026-03-10', 4),
      entry('communication', '2026-02-14'),
    ])
      expect((await call('POST', '/v1/kpi/reform-registers', body, leader)).status).toBe(201);

    const requested = await call('POST', '/v1/reports', {
      kind: 'reform-report',
      params: {
        agencyCode: DEPARTMENT,
        period: '2026-Q1',
        narrative: {
          direction: { communication: 'Đăng tải tin bài trên Cổng thông tin điện tử của Sở.' },
          assessment: 'Sở Y tế hoàn thành đúng tiến độ các nhiệm vụ cải cách hành chính quý I.',
        },
      },
    });
    expect(requested.status).toBe(202);
    expect(requested.headers.get('location')).toBe(`/v1/reports/${requested.body.id}`);
    const seen = new Set<string>();
    report = await eventually(
      async () => {
        const res = await call('GET', `/v1/reports/${requested.body.id}`);
        seen.add(res.body.status);
        if (res.body.status === 'failed') throw new Error(`report failed: ${res.body.reason}`);
        return res.body.status === 'done' ? res.body : undefined;
      },
      { what: 'the report flow to finish', timeoutMs: 30_000 },
    );
    expect([...seen].every((s) => ['queued', 'collecting', 'rendering', 'done'].includes(s))).toBe(true);
    expect(report.files.map((f) => f.format).sort()).toEqual(['csv', 'docx', 'json', 'pdf', 'xlsx']);
  });

  it('downloads the XLSX with Biểu 06 as kpi counts it', async () => {
    const res = await call('GET', `/v1/reports/${report.id}/files/xlsx`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''B%C3%A1o%20c%C3%A1o/);
    expect(createHash('sha256').update(res.bytes).digest('hex')).toBe(
      report.files.find((f) => f.format === 'xlsx')!.sha256,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Biểu 06')!;
    expect(ws.getCell('C5').value).toBe('Số hồ sơ nhận giải quyết');
    // Tổng cộng: received 3 (online 1, direct and postal 2), resolved 2, in progress 1.
    const total = ws.getRow(8);
    expect([2, 3, 4, 5, 6, 7, 11].map((c) => total.getCell(c).value)).toEqual([
      'Tổng cộng',
      3,
      1,
      2,
      0,
      2,
      1,
    ]);
    expect(ws.getRow(10).getCell(2).value).toBe('Dược phẩm');
  });

  it('downloads the DOCX with the motto, the sections and the figures', async () => {
    const res = await call('GET', `/v1/reports/${report.id}/files/docx`);
    expect(res.type).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const xml = await (await JSZip.loadAsync(res.bytes)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QUÝ 1 NĂM 2026');
    expect(text).toContain(
      'Tổng số hồ sơ tiếp nhận: 3 (trực tuyến: 1; trực tiếp và qua dịch vụ bưu chính công ích: 2',
    );
    // Section I as kpi counts the plan at the end of 31/03 and the registers of the quarter.
    expect(text).toContain(
      'Kế hoạch cải cách hành chính năm 2026: tổng số nhiệm vụ 3 (do cơ quan tự đề ra: 2; do tỉnh giao: 1); đến ngày 31/03/2026 đã hoàn thành 1 (trong đó hoàn thành sau thời hạn: 0); đang thực hiện trong hạn 1; quá hạn chưa hoàn thành 1.',
    );
    expect(text).toContain('ban hành trong kỳ: 2.');
    expect(text).toContain('Số cuộc kiểm tra cải cách hành chính trong kỳ: 1, phát hiện 4 tồn tại, hạn chế.');
    expect(text).toContain('Số hoạt động tuyên truyền cải cách hành chính trong kỳ: 1.');
    expect(text).toContain('Công tác tuyên truyền: Đăng tải tin bài trên Cổng thông tin điện tử của Sở.');
  });

  it('downloads the PDF whose text reads back as correct Vietnamese', async () => {
    const res = await call('GET', `/v1/reports/${report.id}/files/pdf`);
    expect(res.type).toBe('application/pdf');
    const text = await pdfText(res.bytes);
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH');
    expect(text).toContain('Tổng số hồ sơ tiếp nhận: 3');
    expect(text).toContain('Sở Y tế hoàn thành đúng tiến độ các nhiệm vụ cải cách hành chính quý I.');
    expect(text).toContain('Dược phẩm');
  });

  it('is issued by a leader of the department, not by a reporter', async () => {
    const issue = async (roles: string[]) =>
      fetch(`${suite.url}/v1/reports/${report.id}/issue`, {
        method: 'POST',
        headers: await officer(roles, DEPARTMENT),
      });
    expect((await issue(['reporter'])).status).toBe(403);
    const issued = await issue(['leader']);
    expect(issued.status).toBe(200);
    expect(await issued.json()).toMatchObject({ issuedBy: 'officer.leader', issuedAt: now.toISOString() });
    const listed = await call('GET', `/v1/reports?kind=reform-report&period=2026-Q1&issued=true`);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([report.id]);
  });

  it('takes the department’s own DOCX template through the gateway, refusing one that lacks placeholders', async () => {
    const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    const def = await call('GET', '/v1/reports/templates/docx/default');
    expect(def.status).toBe(200);
    expect(def.type).toBe(DOCX);
    const put = (bytes: Buffer) =>
      fetch(`${suite.url}/v1/reports/templates/docx?agencyCode=${DEPARTMENT}`, {
        method: 'PUT',
        headers: { ...suite.adminHeaders, 'content-type': DOCX },
        body: bytes,
      });
    const zip = await JSZip.loadAsync(def.bytes);
    const xml = await zip.file('word/document.xml')!.async('string');
    zip.file('word/document.xml', xml.replace('{{body}}', 'NỘI DUNG'));
    const lacking = await put(await zip.generateAsync({ type: 'nodebuffer' }));
    expect(lacking.status).toBe(422);
    const problem = (await lacking.json()) as { code: string; errors: { pointer: string }[] };
    expect(problem.code).toBe('template_placeholders_missing');
    expect(problem.errors.map((e) => e.pointer)).toEqual(['/placeholders/body']);
    expect((await put(def.bytes)).status).toBe(200);
  });
});
