/**
 * Benchmark of the reports' detail appendix (issue 15, Speed and memory): 100,000 dossier rows
 * written as XLSX by the streaming writer the reports service uses
 * (services/reports/src/formats/appendix.xlsx.ts), the rows produced a page at a time as they
 * would arrive from kpi, while the process's resident set size is sampled every 10 ms.
 * Target: the reports process stays under 300 MB RSS.
 *
 *   npx tsx scripts/bench/reports-appendix.ts [--rows 100000] [--page 1000] [--limit-mb 300]
 *
 * Exits 1 when the peak RSS is over the limit. docs/performance.md ("Reports") has the results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Cell } from '../../services/reports/src/domain/document';
import { writeAppendixXlsx } from '../../services/reports/src/formats/appendix.xlsx';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const ROWS = Number(arg('rows', '100000'));
const PAGE = Number(arg('page', '1000'));
const LIMIT_MB = Number(arg('limit-mb', '300'));
const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;

const PROCEDURES = [
  'Cấp chứng chỉ hành nghề dược theo hình thức xét hồ sơ',
  'Cấp giấy chứng nhận đủ điều kiện kinh doanh dược',
  'Cấp giấy phép hoạt động đối với phòng khám chuyên khoa',
  'Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
  'Công bố cơ sở đủ điều kiện sản xuất trang thiết bị y tế',
];
const RESULTS = ['Trước hạn', 'Đúng hạn', 'Quá hạn', 'Đang giải quyết'];

/** A page of rows as kpi would answer it (keyset pages), made on demand: never the whole list. */
async function* pages(): AsyncGenerator<readonly Cell[]> {
  for (let start = 0; start < ROWS; start += PAGE) {
    const page: Cell[][] = [];
    for (let i = start; i < Math.min(ROWS, start + PAGE); i++) {
      const day = 1 + (i % 28);
      page.push([
        i + 1,
        `000.00.17.H55-2603${String(day).padStart(2, '0')}-${String(i).padStart(6, '0')}`,
        PROCEDURES[i % PROCEDURES.length]!,
        i % 3 === 0 ? 'Trực tuyến' : 'Trực tiếp',
        `2026-03-${String(day).padStart(2, '0')}`,
        `2026-04-${String(day).padStart(2, '0')}`,
        RESULTS[i % RESULTS.length]!,
      ]);
    }
    await new Promise((r) => setImmediate(r)); // a round trip to kpi, in spirit
    yield* page;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'reports-appendix-'));
  let peak = process.memoryUsage().rss;
  const before = peak;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  try {
    const file = await writeAppendixXlsx(
      join(dir, 'phu-luc.xlsx'),
      {
        issuer: 'Cơ quan báo cáo: 000.00.17.H55',
        title: 'PHỤ LỤC: DANH SÁCH HỒ SƠ TIẾP NHẬN TRONG KỲ',
        subtitle: 'Kỳ báo cáo: 2026-Q1',
        columns: [
          { header: 'STT', width: 8, kind: 'count' },
          { header: 'Mã hồ sơ', width: 28 },
          { header: 'Thủ tục hành chính', width: 60 },
          { header: 'Hình thức nộp', width: 14 },
          { header: 'Ngày tiếp nhận', width: 14, kind: 'date' },
          { header: 'Ngày hẹn trả', width: 14, kind: 'date' },
          { header: 'Kết quả', width: 16 },
        ],
      },
      pages(),
    );
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const result = {
      rows: file.rows,
      fileMb: mb(file.size),
      seconds: Math.round(seconds * 100) / 100,
      rssBeforeMb: mb(before),
      rssPeakMb: mb(peak),
      limitMb: LIMIT_MB,
      ok: mb(peak) < LIMIT_MB,
    };
    console.log(JSON.stringify(result, null, 2));
    if (!result.ok) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
