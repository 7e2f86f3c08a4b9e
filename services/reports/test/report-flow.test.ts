import { createHash } from 'node:crypto';
import { queues, type Role } from '@tthc/contracts';
import type { ServiceApp } from '@tthc/service-kit';
import {
  eventually,
  identityHeaders,
  openTestResources,
  TEST_INTERNAL_SECRET,
  type TestResources,
} from '@tthc/testkit';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { eventsOfJob, JobProducer } from '@tthc/bus';
import { QueueEvents, Worker, type Job } from 'bullmq';
import { buildApp } from '../src/app';
import { formats } from '../src/formats';
import type { ReportsDb } from '../src/db/schema';
import { startWorkers, type Workers } from '../src/workers';
import {
  catalogueStatistics,
  EXPECTED_ROWS,
  indicatorSet,
  planCounts,
  scorecardResult,
  statisticsTable,
} from './support/facts';

/**
 * Report generation against a real Postgres and Redis: the reports service's flow, with the kpi
 * and catalogue workers standing in for their services (answering the known fact set), one of
 * them failing on purpose.
 */
let t: TestResources<ReportsDb>;
let app: ServiceApp;
let workers: Workers;
let fakes: Worker[];
const now = new Date('2026-04-02T03:00:00Z');
const calls: Record<string, number> = {};
const tablePeriods: string[] = [];
/** While set, every statistics table fails (a scheduled report that cannot be made). */
let kpiDown = false;

/** The kpi answers; the first try of each statistics table fails, and 2025-Q4 never succeeds. */
async function kpi(job: Job) {
  calls[job.name] = (calls[job.name] ?? 0) + 1;
  if (job.data.period === '2025-Q4' || (kpiDown && job.name === 'kpi.statistics-table'))
    throw new Error('kpi unavailable');
  if (job.name === 'kpi.statistics-table') {
    tablePeriods.push(job.data.period);
    if (job.attemptsMade === 0) throw new Error('kpi busy, try again');
    return statisticsTable();
  }
  if (job.name === 'kpi.statistics-dossiers') return appendixPage(job.data);
  if (job.name === 'kpi.indicator-set') return indicatorSet();
  if (job.name === 'kpi.plan-counts') return planCounts();
  if (job.name === 'kpi.scorecard') return scorecardResult();
  throw new Error(`unexpected ${job.name}`);
}
/** The dossiers behind the table's "tổng số hồ sơ", as kpi pages them; `appendixShort` drops one. */
let appendixShort = false;
let appendixPageCalls = 0;
function appendixPage(data: { cursor?: string; limit: number }) {
  appendixPageCalls++;
  const total = statisticsTable().total.figures.received;
  const listed = appendixShort ? total - 1 : total;
  const from = data.cursor ? Number(data.cursor) : 0;
  const to = Math.min(listed, from + Math.min(data.limit, 7)); // small pages, so several are asked
  const items = Array.from({ length: to - from }, (_, i) => {
    const n = from + i + 1;
    return {
      code: `000.00.17.H55-260105-${String(n).padStart(4, '0')}`,
      agencyCode: '000.00.17.H55',
      procedureCode: '1.004579',
      fieldCode: 'DUOC_PHAM',
      authorityLevel: 'province',
      channel: n % 2 === 0 ? 'online' : 'direct',
      receivedDay: '2026-01-05',
      endedDay: n % 3 === 0 ? null : '2026-02-10',
      endKind: n % 3 === 0 ? null : 'resolved',
      legalOutcome: n % 3 === 0 ? null : 'on_time',
      supplementRequests: n % 5 === 0 ? 1 : 0,
    };
  });
  return { total, items, nextCursor: to < listed ? String(to) : null };
}

async function catalogue(job: Job) {
  if (job.name !== 'catalogue.procedure-statistics') throw new Error(`unexpected ${job.name}`);
  return catalogueStatistics();
}

beforeAll(async () => {
  t = await openTestResources<ReportsDb>('reports');
  workers = startWorkers({ db: t.db, bus: t.bus, logger: t.logger, clock: () => now, childBackoffMs: 20 });
  const opts = { connection: t.bus.redis, prefix: t.bus.prefix };
  fakes = [new Worker(queues.kpiJobs, kpi, opts), new Worker(queues.catalogueJobs, catalogue, opts)];
  app = await buildApp({
    config: { INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET },
    logger: t.logger,
    db: t.db,
    redis: t.redis,
    clock: () => now,
    onEventsWritten: () => workers.relay.nudge(),
  });
}, 30_000);
afterAll(async () => {
  await app.close();
  await Promise.all(fakes.map((w) => w.close()));
  await workers.close();
  await t.close();
});

const as = (agencyScope: string[] | null = null, roles: Role[] = ['reporter']) =>
  identityHeaders({
    sub: 'officer.reporter',
    kind: 'officer',
    roles,
    agencyCode: null,
    agencyScope,
  });

async function call(
  method: 'GET' | 'POST',
  url: string,
  payload?: Record<string, unknown>,
  scope: string[] | null = null,
  roles?: Role[],
) {
  const headers = await as(scope, roles);
  return payload === undefined
    ? app.inject({ method, url, headers })
    : app.inject({ method, url, headers, payload });
}

async function untilFinished(id: string) {
  return eventually(
    async () => {
      const res = await call('GET', `/v1/reports/${id}`);
      const body = res.json();
      if (body.status !== 'done' && body.status !== 'failed') throw new Error(`still ${body.status}`);
      return body;
    },
    { timeoutMs: 20_000 },
  );
}

const request = (body: Record<string, unknown>) => call('POST', '/v1/reports', body);

describe('report generation as a flow', () => {
  let first: { id: string; files: { format: string; sha256: string; href: string; fileName: string }[] };

  it('answers 202 with an id and a Location, retries a failed child, and renders every file', async () => {
    const res = await request({
      kind: 'dossier-statistics',
      params: { agencyCode: '000.00.17.H55', period: '2026-Q1' },
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(res.headers['location']).toBe(`/v1/reports/${body.id}`);
    expect(body).toMatchObject({ status: 'queued', version: 1, period: { label: '2026-Q1' } });
    first = await untilFinished(body.id);
    expect(first).toMatchObject({ status: 'done', reason: null });
    expect(first.files.map((f) => f.format).sort()).toEqual(['csv', 'docx', 'json', 'pdf', 'xlsx']);
    // The statistics table failed once and was retried.
    expect(calls['kpi.statistics-table']).toBeGreaterThanOrEqual(2);

    const xlsx = await call('GET', `/v1/reports/${body.id}/files/xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.headers['content-disposition']).toMatch(
      /^attachment; filename="Tinh_hinh[^"]*\.xlsx"; filename\*=UTF-8''T%C3%ACnh%20h%C3%ACnh/,
    );
    const sha = createHash('sha256').update(xlsx.rawPayload).digest('hex');
    expect(xlsx.headers['x-content-sha256']).toBe(sha);
    expect(first.files.find((f) => f.format === 'xlsx')!.sha256).toBe(sha);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Biểu 06')!;
    EXPECTED_ROWS.forEach((expected, i) =>
      expect(expected.map((_, j) => ws.getRow(8 + i).getCell(j + 1).value)).toEqual(expected),
    );
    const json = await call('GET', `/v1/reports/${body.id}/files/json`);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.json().attachments[0].rows.map((r: { cells: unknown[] }) => r.cells)).toEqual(EXPECTED_ROWS);
  });

  it('gives identical figures when the same closed period is made again', async () => {
    const again = await untilFinished(
      (
        await request({
          kind: 'dossier-statistics',
          params: { agencyCode: '000.00.17.H55', period: '2026-Q1' },
        })
      ).json().id,
    );
    const a = (await call('GET', `/v1/reports/${first.id}/files/json`)).json();
    const b = (await call('GET', `/v1/reports/${again.id}/files/json`)).json();
    expect(b.figures).toEqual(a.figures);
    expect(b.attachments).toEqual(a.attachments);
    const csv = (f: { files: { format: string; sha256: string }[] }) =>
      f.files.find((x) => x.format === 'csv')!.sha256;
    expect(csv(again)).toBe(csv(first));
  });

  it('restarts a render that broke half-way and still stores every file once', async () => {
    const pdf = formats.pdf.render;
    let broken = 0;
    formats.pdf.render = async (doc) => {
      if (broken++ === 0) throw new Error('the renderer died half-way');
      return pdf(doc);
    };
    try {
      const res = await request({
        kind: 'dossier-statistics',
        params: { agencyCode: '000.00.17.H55', period: '2026-Q1' },
        formats: ['csv', 'pdf'],
      });
      const done = await untilFinished(res.json().id);
      expect(broken).toBe(2);
      expect(done).toMatchObject({ status: 'done', reason: null });
      expect(done.files.map((f: { format: string }) => f.format)).toEqual(['csv', 'pdf']);
      const file = await call('GET', `/v1/reports/${done.id}/files/pdf`);
      expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(done.files[1].sha256);
    } finally {
      formats.pdf.render = pdf;
    }
  });

  it('adds the detail appendix, paged from kpi into an XLSX listing every dossier the table counts', async () => {
    const res = await request({
      kind: 'dossier-statistics',
      params: { agencyCode: '000.00.17.H55', period: '2026-Q1', appendix: true },
      formats: ['xlsx'],
    });
    const done = await untilFinished(res.json().id);
    expect(done).toMatchObject({ status: 'done', reason: null });
    expect(done.files.map((f: { format: string }) => f.format)).toEqual(['appendix-xlsx', 'xlsx']);
    const file = await call('GET', `/v1/reports/${done.id}/files/appendix-xlsx`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(file.headers['content-disposition']).toMatch(/filename\*=UTF-8''Ph%E1%BB%A5%20l%E1%BB%A5c/);
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(done.files[0].sha256);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const total = statisticsTable().total.figures.received;
    expect(ws.getRow(2).getCell(1).value).toBe('PHỤ LỤC: DANH SÁCH HỒ SƠ');
    expect(ws.getRow(4).values).toEqual([
      undefined,
      'STT',
      'Mã hồ sơ',
      'Mã thủ tục',
      'Lĩnh vực',
      'Cấp',
      'Kênh tiếp nhận',
      'Ngày tiếp nhận',
      'Ngày kết thúc',
      'Tình trạng cuối kỳ',
      'So với hạn',
      'Số lần yêu cầu bổ sung',
    ]);
    expect(ws.getRow(5).values).toEqual([
      undefined,
      1,
      '000.00.17.H55-260105-0001',
      '1.004579',
      'Dược phẩm',
      'Tỉnh',
      'Trực tiếp',
      '05/01/2026',
      '10/02/2026',
      'Đã giải quyết',
      'Đúng hạn',
      0,
    ]);
    expect(ws.getRow(7).getCell(9).value).toBe('Đang giải quyết');
    expect(ws.getRow(4 + total).getCell(1).value).toBe(total);
    expect(ws.getRow(5 + total).getCell(1).value).toBeNull();
    expect(appendixPageCalls).toBe(Math.ceil(total / 7));
  });

  it('does not render an appendix that misses a dossier the table counts', async () => {
    appendixShort = true;
    try {
      const res = await request({
        kind: 'dossier-statistics',
        params: { agencyCode: '000.00.17.H55', period: '2026-Q1', appendix: true },
        formats: ['json'],
      });
      const done = await untilFinished(res.json().id);
      expect(done.status).toBe('failed');
      expect(done.reason).toMatch(/the appendix lists \d+ dossiers where the table counts \d+/);
      expect(done.files).toEqual([]);
    } finally {
      appendixShort = false;
    }
  });

  it('fails the report, naming the child, when a child fails after its retries; nothing is rendered', async () => {
    const res = await request({
      kind: 'dossier-statistics',
      params: { agencyCode: null, period: '2025-Q4' },
    });
    const done = await untilFinished(res.json().id);
    expect(done.status).toBe('failed');
    expect(done.reason).toMatch(/^figures unavailable: table: kpi unavailable/);
    expect(done.files).toEqual([]);
    const file = await call('GET', `/v1/reports/${done.id}/files/pdf`);
    expect(file.statusCode).toBe(409);
    expect(file.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('issues a report (frozen), and a correction is a new version naming what changed', async () => {
    const res = await request({
      kind: 'reform-report',
      params: { agencyCode: '000.00.17.H55', period: '2026-Q1', narrative: { assessment: 'Đạt kế hoạch.' } },
      formats: ['json', 'docx'],
    });
    const v1 = await untilFinished(res.json().id);
    expect(v1.status).toBe('done');
    // The months of the quarter are asked for their own tables, and drawn over the months.
    expect(tablePeriods).toEqual(expect.arrayContaining(['2026-01', '2026-02', '2026-03']));
    const json = (await call('GET', `/v1/reports/${v1.id}/files/json`)).json();
    const charts = JSON.stringify(json.sections);
    expect(charts).toContain('theo tháng (%)');
    const total = statisticsTable().total.figures;
    const onTime = Math.round(((total.resolvedEarly + total.resolvedOnTime) / total.resolved) * 10000) / 100;
    const eGov = json.sections[1].subsections[5];
    expect(eGov.chart).toEqual({
      title: 'Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn và tỷ lệ hồ sơ trực tuyến theo tháng (%)',
      categoryLabel: 'Tháng',
      categories: ['Tháng 1/2026', 'Tháng 2/2026', 'Tháng 3/2026'],
      series: [
        { label: 'Trước hạn, đúng hạn', values: [onTime, onTime, onTime] },
        { label: 'Nộp trực tuyến', values: expect.any(Array) },
      ],
    });
    const issued = await call('POST', `/v1/reports/${v1.id}/issue`, undefined, null, ['leader']);
    expect(issued.statusCode).toBe(200);
    expect(issued.json()).toMatchObject({ issuedBy: 'officer.reporter', issuedAt: now.toISOString() });
    const revised = await call('POST', `/v1/reports/${v1.id}/revisions`, {
      note: 'Sửa phần đánh giá chung',
      narrative: { assessment: 'Vượt kế hoạch.' },
    });
    expect(revised.statusCode).toBe(202);
    const v2 = await untilFinished(revised.json().id);
    expect(v2).toMatchObject({
      status: 'done',
      version: 2,
      seriesId: v1.id,
      supersedes: v1.id,
      changeNote: 'Sửa phần đánh giá chung',
      changes: [{ where: 'narrative.assessment', before: '"Đạt kế hoạch."', after: '"Vượt kế hoạch."' }],
    });
    // The issued version is kept as it was.
    const kept = (await call('GET', `/v1/reports/${v1.id}`)).json();
    expect(kept.files).toEqual(v1.files);
    expect((await call('POST', `/v1/reports/${v1.id}/revisions`, { note: 'again' })).statusCode).toBe(409);
    const list = await call('GET', '/v1/reports?kind=reform-report&period=2026-Q1&issued=true');
    expect(list.json().items.map((r: { id: string }) => r.id)).toEqual([v1.id]);
  });
});

describe('the scorecard as a flow', () => {
  it('collects the indicator set and the scorecard from kpi and renders the XLSX with the targets', async () => {
    const res = await request({
      kind: 'scorecard',
      params: { agencyCode: '000.00.17.H55', period: '2026-Q1' },
      formats: ['json', 'xlsx', 'docx'],
    });
    expect(res.statusCode).toBe(202);
    const done = await untilFinished(res.json().id);
    expect(done).toMatchObject({ status: 'done', reason: null, kind: 'scorecard' });
    const xlsx = await call('GET', `/v1/reports/${done.id}/files/xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const targets = wb.worksheets[1]!;
    expect([2, 5, 6, 7, 8].map((c) => targets.getRow(6).getCell(c).value)).toEqual([
      'Số hồ sơ giải quyết quá hạn',
      1,
      2,
      'Không đạt',
      1,
    ]);
    const json = (await call('GET', `/v1/reports/${done.id}/files/json`)).json();
    expect(json.figures.scorecard).toEqual(scorecardResult());
  });
});

describe('issue checks the figures it freezes', () => {
  it('refuses to issue a report whose kept table breaks an identity of Biểu 06', async () => {
    const res = await request({
      kind: 'dossier-statistics',
      params: { agencyCode: '000.00.17.H55', period: '2026-Q1' },
      formats: ['json'],
    });
    const done = await untilFinished(res.json().id);
    const row = await t.db
      .selectFrom('reports')
      .select('document')
      .where('id', '=', done.id)
      .executeTakeFirstOrThrow();
    const doc = row.document as { figures: { statisticsTable: ReturnType<typeof statisticsTable> } };
    doc.figures.statisticsTable.rows[1]!.figures.resolvedLate += 1;
    await t.db
      .updateTable('reports')
      .set({ document: JSON.stringify(doc) })
      .where('id', '=', done.id)
      .execute();
    const issued = await call('POST', `/v1/reports/${done.id}/issue`, undefined, null, ['leader']);
    expect(issued.statusCode).toBe(409);
    expect(issued.json()).toMatchObject({ code: 'identity_broken' });
    expect(issued.json().detail).toContain('resolved = early + on time + late');
  });
});

describe('bad input is refused before any job starts', () => {
  const before = async () => (await call('GET', '/v1/reports?limit=200')).json().items.length;

  it('refuses an unknown kind, a future period and a narrative with script, naming the field', async () => {
    const count = await before();
    const unknown = await request({ kind: 'ranking-sheet', params: { period: '2026-Q1' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(unknown.json().errors)).toContain('/kind');

    const future = await request({ kind: 'dossier-statistics', params: { period: '2026-Q3' } });
    expect(future.statusCode).toBe(422);
    expect(future.json()).toMatchObject({
      code: 'period_in_future',
      errors: [expect.objectContaining({ pointer: '/params/period' })],
    });

    const script = await request({
      kind: 'reform-report',
      params: { period: '2026-Q1', narrative: { proposals: '<script>alert("x")</script>' } },
    });
    expect(script.statusCode).toBe(400);
    expect(JSON.stringify(script.json().errors)).toContain('/params/narrative/proposals');
    expect(await before()).toBe(count);
  });

  it('keeps an officer to the reports of its agencies', async () => {
    const res = await call(
      'POST',
      '/v1/reports',
      { kind: 'dossier-statistics', params: { agencyCode: '000.00.12.H55', period: '2026-Q1' } },
      ['000.00.17.H55'],
    );
    expect(res.statusCode).toBe(403);
    const list = await call('GET', '/v1/reports', undefined, ['000.00.12.H55']);
    expect(list.json().items).toEqual([]);
  });
});

describe('schedules', () => {
  it('asks once for the report of the last closed period, however often the tick runs, and tells its owner', async () => {
    const created = await call(
      'POST',
      '/v1/reports/schedules',
      {
        kind: 'dossier-statistics',
        agencyCode: '000.00.17.H55',
        cadence: 'quarter',
        basis: 'statutory',
        formats: ['json', 'xlsx'],
        owner: 'chuyenvien.syt',
      },
      null,
      ['admin'],
    );
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ owner: 'chuyenvien.syt', createdBy: 'officer.reporter' });
    // intake's notification consumer hears of reports ready on its queue.
    const told: { name: string; data: { payload: Record<string, unknown> } }[] = [];
    const notifications = new Worker(
      queues.intakeNotifications,
      async (job: Job) => {
        for (const e of eventsOfJob(job.data) as { type: string; payload: Record<string, unknown> }[])
          told.push({ name: e.type, data: e });
      },
      { connection: t.bus.redis, prefix: t.bus.prefix },
    );
    const producer = new JobProducer(t.bus);
    const connection = t.redis.duplicate();
    const events = new QueueEvents(queues.reportsSchedules, { connection, prefix: t.bus.prefix });
    await events.waitUntilReady();
    try {
      const tick = async () =>
        (await (await producer.add('reports.schedule-tick', {})).waitUntilFinished(events, 15_000)) as {
          requested: string[];
        };
      const first = await tick();
      expect(first.requested).toHaveLength(1);
      expect((await tick()).requested).toEqual([]);
      const report = await untilFinished(first.requested[0]!);
      // On 2/4/2026 the last closed data-cut quarter is Q1: 15/12/2025 to 14/3/2026 (Nghị định 09/2019).
      expect(report).toMatchObject({
        status: 'done',
        kind: 'dossier-statistics',
        agencyCode: '000.00.17.H55',
        period: { label: '2026-Q1', from: '2025-12-15', to: '2026-03-14' },
      });
      const listed = (await call('GET', '/v1/reports/schedules')).json();
      expect(listed.items).toEqual([created.json()]);
      const ready = await eventually(async () => (told.length > 0 ? told : undefined), { timeoutMs: 10_000 });
      expect(ready).toHaveLength(1);
      expect(ready[0]!.name).toBe('report.ready');
      expect(ready[0]!.data.payload).toEqual({
        reportId: report.id,
        scheduleId: created.json().id,
        kind: 'dossier-statistics',
        title: 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH',
        periodLabel: '2026-Q1',
        agencyCode: '000.00.17.H55',
        owner: 'chuyenvien.syt',
        version: 1,
        formats: ['json', 'xlsx'],
        href: `/v1/reports/${report.id}`,
      });
      // A report asked for by a person tells nobody.
      const manual = await request({
        kind: 'dossier-statistics',
        params: { agencyCode: '000.00.17.H55', period: '2026-Q1' },
        formats: ['json'],
      });
      await untilFinished(manual.json().id);
      await new Promise((r) => setTimeout(r, 500));
      expect(told).toHaveLength(1);

      // A scheduled report that cannot be made: its owner is told why, not left waiting.
      const failing = await call(
        'POST',
        '/v1/reports/schedules',
        {
          kind: 'dossier-statistics',
          agencyCode: '000.01.17.H55',
          cadence: 'quarter',
          basis: 'calendar',
          formats: ['json'],
          owner: 'chuyenvien.attp',
        },
        null,
        ['admin'],
      );
      expect(failing.statusCode).toBe(201);
      kpiDown = true;
      const asked = await tick();
      expect(asked.requested).toHaveLength(1);
      const failed = await untilFinished(asked.requested[0]!);
      expect(failed).toMatchObject({ status: 'failed', reason: expect.stringMatching(/kpi unavailable/) });
      const bad = await eventually(async () => told.find((e) => e.name === 'report.failed'), {
        timeoutMs: 10_000,
      });
      expect(bad.data.payload).toEqual({
        reportId: failed.id,
        scheduleId: failing.json().id,
        kind: 'dossier-statistics',
        title: 'Tình hình, kết quả giải quyết thủ tục hành chính (Biểu 06)',
        periodLabel: '2026-Q1',
        agencyCode: '000.01.17.H55',
        owner: 'chuyenvien.attp',
        version: 1,
        reason: failed.reason,
        href: `/v1/reports/${failed.id}`,
      });
    } finally {
      kpiDown = false;
      await notifications.close();
      await events.close();
      connection.disconnect();
      await producer.close();
    }
  });
});

describe('the DOCX template a department replaces', () => {
  const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  const docxWith = (...lines: string[]) =>
    Packer.toBuffer(
      new Document({
        sections: [{ children: lines.map((l) => new Paragraph({ children: [new TextRun(l)] })) }],
      }),
    );
  const upload = async (body: Buffer, query = '?agencyCode=000.00.17.H55', type = DOCX) =>
    app.inject({
      method: 'PUT',
      url: `/v1/reports/templates/docx${query}`,
      headers: { ...(await as(null, ['admin'])), 'content-type': type },
      payload: body,
    });

  it('ships the default, refuses what is not a DOCX or lacks placeholders (naming them), and renders with the one uploaded', async () => {
    const def = await call('GET', '/v1/reports/templates/docx/default');
    expect(def.statusCode).toBe(200);
    expect(def.headers['content-type']).toBe(DOCX);
    expect((await upload(def.rawPayload)).statusCode).toBe(200);

    const notDocx = await upload(Buffer.from('<html>not a document</html>'));
    expect(notDocx.statusCode).toBe(422);
    expect(notDocx.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(notDocx.json()).toMatchObject({ code: 'invalid_docx' });

    const lacking = await upload(await docxWith('{{issuer}}', '{{title}}'));
    expect(lacking.statusCode).toBe(422);
    expect(lacking.json()).toMatchObject({ code: 'template_placeholders_missing' });
    expect(lacking.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/placeholders/subtitle',
      '/placeholders/body',
    ]);

    const own = await upload(
      await docxWith('SỞ Y TẾ — MẪU BÁO CÁO RIÊNG', '{{issuer}}', '{{title}}', '{{subtitle}}', '{{body}}'),
    );
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({
      agencyCode: '000.00.17.H55',
      placeholders: ['body', 'issuer', 'subtitle', 'title'],
    });

    const res = await request({
      kind: 'reform-report',
      params: { agencyCode: '000.00.17.H55', period: '2026-Q1' },
      formats: ['docx'],
    });
    const done = await untilFinished(res.json().id);
    expect(done.status).toBe('done');
    const file = await call('GET', `/v1/reports/${done.id}/files/docx`);
    const xml = await (await JSZip.loadAsync(file.rawPayload)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('SỞ Y TẾ — MẪU BÁO CÁO RIÊNG');
    expect(text).toContain('BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QUÝ 1 NĂM 2026');
    expect(text).toContain('Tổng số hồ sơ tiếp nhận: 20');
    expect(text).not.toContain('{{');
  });
});
