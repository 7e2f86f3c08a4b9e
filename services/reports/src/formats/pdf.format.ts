import path from 'node:path';
import PDFDocument from 'pdfkit';
import {
  headerGrid,
  type BarChart,
  type ReportDocument,
  type Section,
  type TableBlock,
} from '../domain/document';
import { chartPng, chartValuesTable } from './chart';
import { ROMAN, placeAndDate } from './layout';

/**
 * The report as an A4 PDF with its font embedded: DejaVu Serif (as the intake's slips use), which
 * has its own glyph for every Vietnamese letter, so the text reads and extracts correctly
 * wherever the file is opened. Sections in portrait, attached tables on landscape pages.
 */
type Doc = PDFKit.PDFDocument;

const FONT = { regular: 'report-regular', bold: 'report-bold', italic: 'report-italic' } as const;
const FONT_FILES: Record<keyof typeof FONT, string> = {
  regular: 'DejaVuSerif.ttf',
  bold: 'DejaVuSerif-Bold.ttf',
  italic: 'DejaVuSerif-Italic.ttf',
};
const CONDENSED: Record<keyof typeof FONT, string> = {
  regular: 'DejaVuSerifCondensed.ttf',
  bold: 'DejaVuSerifCondensed-Bold.ttf',
  italic: 'DejaVuSerifCondensed-Italic.ttf',
};
const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const MM = 72 / 25.4;
const PORTRAIT_MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
const LANDSCAPE_MARGINS = { top: 15 * MM, bottom: 15 * MM, left: 15 * MM, right: 15 * MM };

const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;

function centered(doc: Doc, text: string, font: string, size: number): void {
  doc
    .font(font)
    .fontSize(size)
    .text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc), align: 'center' });
}

function mottoBlock(doc: Doc, report: ReportDocument): void {
  const left = doc.page.margins.left;
  const top = doc.y;
  const w = contentWidth(doc);
  const leftW = w * 0.4;
  doc
    .font(FONT.bold)
    .fontSize(11)
    .text(report.issuer.toUpperCase(), left, top, { width: leftW, align: 'center' });
  doc
    .font(FONT.regular)
    .fontSize(11)
    .text('Số:      /BC', left, doc.y + 2, { width: leftW, align: 'center' });
  const leftEnd = doc.y;
  doc
    .font(FONT.bold)
    .fontSize(11)
    .text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', left + leftW, top, { width: w - leftW, align: 'center' });
  doc
    .font(FONT.bold)
    .fontSize(12)
    .text('Độc lập - Tự do - Hạnh phúc', left + leftW, doc.y, {
      width: w - leftW,
      align: 'center',
      underline: true,
    });
  doc
    .font(FONT.italic)
    .fontSize(12)
    .text(placeAndDate(report), left + leftW, doc.y + 4, { width: w - leftW, align: 'center' });
  doc.y = Math.max(leftEnd, doc.y) + 14;
}

function paragraph(doc: Doc, text: string): void {
  doc
    .font(FONT.regular)
    .fontSize(13)
    .text(text, doc.page.margins.left, doc.y, {
      width: contentWidth(doc),
      align: 'justify',
      indent: 12.7 * MM,
      paragraphGap: 4,
      lineGap: 2,
    });
}

function cellText(v: string | number | null, percent: boolean): string {
  if (v === null) return '';
  if (typeof v === 'number') return percent ? v.toFixed(2).replace('.', ',') : v.toLocaleString('vi-VN');
  return v;
}

/** A table with merged header cells, repeated on every page it runs over. */
function table(doc: Doc, block: TableBlock, o: { caption?: boolean } = {}): void {
  const size = 9;
  const pad = 3;
  const left = doc.page.margins.left;
  const total = block.widths.reduce((a, b) => a + b, 0);
  const widths = block.widths.map((w) => (w / total) * contentWidth(doc));
  const xs = widths.reduce<number[]>((acc, w, i) => [...acc, acc[i]! + w], [left]);
  const grid = headerGrid(block.header);
  const textHeight = (text: string, width: number, font: string) =>
    doc
      .font(font)
      .fontSize(size)
      .heightOfString(text, { width: width - 2 * pad }) +
    2 * pad;

  if (o.caption !== false) {
    centered(doc, block.title, CONDENSED_FONT.bold, 12);
    if (block.subtitle) centered(doc, block.subtitle, CONDENSED_FONT.italic, 11);
    doc.moveDown(0.4);
  }

  const headerRowHeights = block.header.map((_, r) =>
    Math.max(
      14,
      ...grid
        .filter((g) => g.row === r && g.rowSpan === 1)
        .map((g) => textHeight(g.cell.text, xs[g.col + g.colSpan]! - xs[g.col]!, CONDENSED_FONT.bold)),
    ),
  );
  const drawHeader = () => {
    const top = doc.y;
    const ys = headerRowHeights.reduce<number[]>((acc, h, i) => [...acc, acc[i]! + h], [top]);
    for (const g of grid) {
      const x = xs[g.col]!;
      const w = xs[g.col + g.colSpan]! - x;
      const y = ys[g.row]!;
      const h = ys[g.row + g.rowSpan]! - y;
      doc.rect(x, y, w, h).stroke();
      const th = textHeight(g.cell.text, w, CONDENSED_FONT.bold) - 2 * pad;
      doc
        .font(CONDENSED_FONT.bold)
        .fontSize(size)
        .text(g.cell.text, x + pad, y + Math.max(pad, (h - th) / 2), {
          width: w - 2 * pad,
          align: 'center',
        });
    }
    doc.y = ys[ys.length - 1]!;
  };
  drawHeader();
  const percent = new Set(block.percentColumns ?? []);
  for (const row of block.rows) {
    const font = row.emphasis ? CONDENSED_FONT.bold : CONDENSED_FONT.regular;
    const texts = row.cells.map((v, j) => cellText(v, percent.has(j)));
    const h = Math.max(14, ...texts.map((t, j) => textHeight(t, widths[j]!, font)));
    if (doc.y + h > bottom(doc)) {
      doc.addPage({
        size: 'A4',
        layout: doc.page.width > doc.page.height ? 'landscape' : 'portrait',
        margins: doc.page.margins,
      });
      drawHeader();
    }
    const y = doc.y;
    texts.forEach((t, j) => {
      doc.rect(xs[j]!, y, widths[j]!, h).stroke();
      doc
        .font(font)
        .fontSize(size)
        .text(t, xs[j]! + pad, y + pad, {
          width: widths[j]! - 2 * pad,
          align: typeof row.cells[j] === 'number' ? 'right' : j === 0 ? 'center' : 'left',
        });
    });
    doc.y = y + h;
  }
  doc.x = left;
  doc.moveDown(1);
}

/**
 * A chart: its title, the chart (the PNG the DOCX holds too) across the text width, made smaller
 * only where it would not fit on a page, then its figures as a table.
 */
function chart(doc: Doc, c: BarChart): void {
  const image = chartPng(c, { widthMm: contentWidth(doc) / MM });
  const titleHeight = doc
    .font(CONDENSED_FONT.bold)
    .fontSize(11)
    .heightOfString(c.title, { width: contentWidth(doc) });
  const room = bottom(doc) - doc.page.margins.top - titleHeight - 8;
  const scale = Math.min(1, room / image.points.height);
  const width = image.points.width * scale;
  const height = image.points.height * scale;
  if (doc.y + titleHeight + 8 + height > bottom(doc)) doc.addPage();
  centered(doc, c.title, CONDENSED_FONT.bold, 11);
  const left = doc.page.margins.left + (contentWidth(doc) - width) / 2;
  const top = doc.y + 4;
  doc.image(image.png, left, top, { width, height });
  doc.x = doc.page.margins.left;
  doc.y = top + height + 6;
  table(doc, chartValuesTable(c), { caption: false });
}

const CONDENSED_FONT = {
  regular: 'report-cond',
  bold: 'report-cond-bold',
  italic: 'report-cond-italic',
} as const;

function section(doc: Doc, s: Section, number: string, level: number): void {
  if (doc.y > bottom(doc) - 60) doc.addPage();
  doc
    .font(level === 0 ? FONT.bold : FONT.italic)
    .fontSize(13)
    .text(`${number}. ${s.heading}`, doc.page.margins.left, doc.y, {
      width: contentWidth(doc),
      paragraphGap: 4,
    });
  for (const p of s.paragraphs) paragraph(doc, p);
  if (s.table) table(doc, s.table);
  if (s.chart) chart(doc, s.chart);
  (s.subsections ?? []).forEach((sub, i) => section(doc, sub, String(i + 1), level + 1));
}

export async function renderPdf(report: ReportDocument): Promise<Buffer> {
  const hasSections = report.sections.length > 0;
  const doc = new PDFDocument({
    size: 'A4',
    layout: hasSections ? 'portrait' : 'landscape',
    margins: hasSections ? PORTRAIT_MARGINS : LANDSCAPE_MARGINS,
    bufferPages: true,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: report.title,
      Author: report.issuer,
      Creator: 'tthc reports',
      CreationDate: new Date(report.dataCutAt),
    },
  });
  const bytes = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const key of Object.keys(FONT) as (keyof typeof FONT)[]) {
    doc.registerFont(FONT[key], path.join(fontDir, FONT_FILES[key]));
    doc.registerFont(CONDENSED_FONT[key], path.join(fontDir, CONDENSED[key]));
  }
  doc.lineWidth(0.5);
  mottoBlock(doc, report);
  centered(doc, report.title, FONT.bold, 14);
  centered(doc, report.subtitle, FONT.italic, 12);
  doc.moveDown(1);
  report.sections.forEach((s, i) => section(doc, s, ROMAN[i] ?? String(i + 1), 0));
  report.attachments.forEach((t, i) => {
    if (hasSections || i > 0) doc.addPage({ size: 'A4', layout: 'landscape', margins: LANDSCAPE_MARGINS });
    if (hasSections) centered(doc, `Phụ lục ${i + 1}`, FONT.bold, 12);
    table(doc, t);
  });
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const marginBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT.italic)
      .fontSize(9)
      .text(
        `Trang ${i - start + 1}/${count}`,
        doc.page.margins.left,
        doc.page.height - marginBottom / 2 - 5,
        {
          width: contentWidth(doc),
          align: 'center',
          lineBreak: false,
        },
      );
    doc.page.margins.bottom = marginBottom;
  }
  doc.end();
  return bytes;
}
