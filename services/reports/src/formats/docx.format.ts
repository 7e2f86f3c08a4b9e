import {
  AlignmentType,
  BorderStyle,
  Document,
  ImageRun,
  Packer,
  PageBreak,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type ISectionOptions,
} from 'docx';
import {
  headerGrid,
  type BarChart,
  type ReportDocument,
  type Section,
  type TableBlock,
} from '../domain/document';
import { chartPng, chartValuesTable, TEXT_WIDTH_MM } from './chart';
import { ROMAN, placeAndDate } from './layout';

/**
 * DOCX as Vietnamese administrative documents are laid out (Nghị định 30/2020/NĐ-CP, Phụ lục I):
 * A4, Times New Roman 14 for the text (13 in tables), margins 20–25 mm top and bottom, 30–35 mm
 * left, 15–20 mm right; the issuing body and the national motto side by side at the top; the
 * title in capitals; numbered sections. Tables attached as Phụ lục on landscape pages.
 */
const MM = 56.7; // twips per millimetre
const A4 = { width: 11906, height: 16838 };
const FONT = 'Times New Roman';
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = {
  top: NONE,
  bottom: NONE,
  left: NONE,
  right: NONE,
  insideHorizontal: NONE,
  insideVertical: NONE,
};

const run = (
  text: string,
  o: { bold?: boolean; italics?: boolean; size?: number; underline?: boolean } = {},
) =>
  new TextRun({
    text,
    font: FONT,
    bold: o.bold ?? false,
    italics: o.italics ?? false,
    size: (o.size ?? 14) * 2,
    ...(o.underline ? { underline: {} } : {}),
  });

const centered = (text: string, o: Parameters<typeof run>[1] = {}) =>
  new Paragraph({ alignment: AlignmentType.CENTER, children: [run(text, o)] });

const body = (text: string) =>
  new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: Math.round(12.7 * MM) },
    spacing: { before: 60, after: 60, line: 300 },
    children: [run(text)],
  });

function mottoBlock(doc: ReportDocument): Table {
  const cell = (children: Paragraph[]) =>
    new TableCell({ children, borders: { top: NONE, bottom: NONE, left: NONE, right: NONE } });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: [3800, 5800],
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        children: [
          cell([
            centered(doc.issuer.toUpperCase(), { bold: true, size: 13 }),
            centered(`Số:      /BC`, { size: 13 }),
          ]),
          cell([
            centered('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 13 }),
            centered('Độc lập - Tự do - Hạnh phúc', { bold: true, size: 14, underline: true }),
            centered(placeAndDate(doc), { italics: true }),
          ]),
        ],
      }),
    ],
  });
}

function table(block: TableBlock, o: { caption?: boolean } = {}): (Paragraph | Table)[] {
  const rows: TableRow[] = [];
  const grid = headerGrid(block.header);
  const cellOf = (
    text: string,
    o: { bold?: boolean; align?: 'left' | 'right' | 'center'; colSpan?: number; rowSpan?: number },
  ) =>
    new TableCell({
      verticalAlign: VerticalAlign.CENTER,
      ...(o.colSpan && o.colSpan > 1 ? { columnSpan: o.colSpan } : {}),
      ...(o.rowSpan && o.rowSpan > 1 ? { rowSpan: o.rowSpan } : {}),
      children: [
        new Paragraph({
          alignment:
            o.align === 'right'
              ? AlignmentType.RIGHT
              : o.align === 'left'
                ? AlignmentType.LEFT
                : AlignmentType.CENTER,
          children: [run(text, { bold: o.bold ?? false, size: 12 })],
        }),
      ],
    });
  block.header.forEach((_, r) => {
    rows.push(
      new TableRow({
        tableHeader: true,
        children: grid
          .filter((g) => g.row === r)
          .map((g) => cellOf(g.cell.text, { bold: true, colSpan: g.colSpan, rowSpan: g.rowSpan })),
      }),
    );
  });
  const percent = new Set(block.percentColumns ?? []);
  for (const row of block.rows) {
    rows.push(
      new TableRow({
        children: row.cells.map((v, j) =>
          cellOf(
            v === null
              ? ''
              : typeof v === 'number'
                ? percent.has(j)
                  ? v.toFixed(2).replace('.', ',')
                  : v.toLocaleString('vi-VN')
                : v,
            {
              bold: row.emphasis !== undefined,
              align: typeof v === 'number' ? 'right' : j === 0 ? 'center' : 'left',
            },
          ),
        ),
      }),
    );
  }
  const total = block.widths.reduce((a, b) => a + b, 0);
  return [
    ...(o.caption === false
      ? []
      : [
          centered(block.title, { bold: true, size: 13 }),
          ...(block.subtitle ? [centered(block.subtitle, { italics: true, size: 13 })] : []),
        ]),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      columnWidths: block.widths.map((w) => Math.round((w / total) * 9000)),
      rows,
    }),
    new Paragraph({ children: [] }),
  ];
}

/** The text height of an A4 portrait page (297 mm less the 20 mm margins), in millimetres. */
const TEXT_HEIGHT_MM = 297 - 40;
const PX_PER_MM = 96 / 25.4; // docx sizes images in pixels at 96 per inch

/**
 * A chart in the DOCX: its title, the chart as a PNG at print resolution across the text width
 * (the title as its alt text), and its figures as a table under it, to be read and copied.
 */
function chart(c: BarChart): (Paragraph | Table)[] {
  const image = chartPng(c, { widthMm: TEXT_WIDTH_MM });
  const heightMm = (TEXT_WIDTH_MM * image.pixels.height) / image.pixels.width;
  const scale = Math.min(1, TEXT_HEIGHT_MM / heightMm);
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      keepNext: true,
      children: [run(c.title, { bold: true, size: 13 })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      keepNext: true,
      children: [
        new ImageRun({
          type: 'png',
          data: image.png,
          transformation: {
            width: Math.round(TEXT_WIDTH_MM * scale * PX_PER_MM),
            height: Math.round(heightMm * scale * PX_PER_MM),
          },
          altText: { name: c.title, title: c.title, description: c.title },
        }),
      ],
    }),
    ...table(chartValuesTable(c), { caption: false }),
  ];
}

function section(s: Section, number: string, level: number): (Paragraph | Table)[] {
  return [
    new Paragraph({
      spacing: { before: 120, after: 60 },
      indent: { firstLine: Math.round(12.7 * MM) },
      children: [run(`${number}. ${s.heading}`, { bold: true, italics: level > 0 })],
    }),
    ...s.paragraphs.map(body),
    ...(s.table ? table(s.table) : []),
    ...(s.chart ? chart(s.chart) : []),
    ...(s.subsections ?? []).flatMap((sub, i) => section(sub, String(i + 1), level + 1)),
  ];
}

/**
 * The body of a report for a department's template: the numbered sections, then each attached
 * table as a Phụ lục (on the template's own pages: a template keeps its page setup).
 */
export function bodyBlocks(doc: ReportDocument): (Paragraph | Table)[] {
  return [
    ...doc.sections.flatMap((s, i) => section(s, ROMAN[i] ?? String(i + 1), 0)),
    ...doc.attachments.flatMap((t, i) => [
      ...(i > 0 || doc.sections.length > 0 ? [new Paragraph({ children: [new PageBreak()] })] : []),
      ...(doc.sections.length > 0 ? [centered(`Phụ lục ${i + 1}`, { bold: true, size: 13 })] : []),
      ...table(t),
    ]),
  ];
}

/**
 * The template a department starts from (GET /v1/reports/templates/docx/default): the layout of
 * renderDocx with placeholders where the report goes: {{issuer}}, {{placeAndDate}}, {{title}},
 * {{subtitle}} and {{body}} (the sections and tables).
 */
export async function defaultDocxTemplate(): Promise<Buffer> {
  const cell = (children: Paragraph[]) =>
    new TableCell({ children, borders: { top: NONE, bottom: NONE, left: NONE, right: NONE } });
  const file = new Document({
    creator: 'tthc reports',
    title: 'Mẫu báo cáo',
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4.width, height: A4.height, orientation: PageOrientation.PORTRAIT },
            margin: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM },
          },
        },
        children: [
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            columnWidths: [3800, 5800],
            borders: NO_BORDERS,
            rows: [
              new TableRow({
                children: [
                  cell([
                    centered('{{issuer}}', { bold: true, size: 13 }),
                    centered('Số:      /BC', { size: 13 }),
                  ]),
                  cell([
                    centered('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 13 }),
                    centered('Độc lập - Tự do - Hạnh phúc', { bold: true, size: 14, underline: true }),
                    centered('{{placeAndDate}}', { italics: true }),
                  ]),
                ],
              }),
            ],
          }),
          new Paragraph({ children: [] }),
          centered('{{title}}', { bold: true }),
          centered('{{subtitle}}', { italics: true }),
          new Paragraph({ children: [] }),
          new Paragraph({ children: [run('{{body}}')] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(file);
}

export async function renderDocx(doc: ReportDocument): Promise<Buffer> {
  const portrait = {
    page: {
      size: { width: A4.width, height: A4.height, orientation: PageOrientation.PORTRAIT },
      margin: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM },
    },
  };
  const landscape = {
    page: {
      // docx swaps width and height itself for a landscape page.
      size: { width: A4.width, height: A4.height, orientation: PageOrientation.LANDSCAPE },
      margin: { top: 20 * MM, bottom: 15 * MM, left: 20 * MM, right: 15 * MM },
    },
  };
  const main: (Paragraph | Table)[] = [
    mottoBlock(doc),
    new Paragraph({ children: [] }),
    centered(doc.title, { bold: true }),
    centered(doc.subtitle, { italics: true }),
    new Paragraph({ children: [] }),
    ...doc.sections.flatMap((s, i) => section(s, ROMAN[i] ?? String(i + 1), 0)),
  ];
  const sections: ISectionOptions[] = [];
  if (doc.sections.length > 0) sections.push({ properties: portrait, children: main });
  if (doc.attachments.length > 0) {
    sections.push({
      properties: landscape,
      children: [
        ...(doc.sections.length > 0 ? [] : [mottoBlock(doc), new Paragraph({ children: [] })]),
        ...doc.attachments.flatMap((t, i) => [
          ...(i > 0 ? [new Paragraph({ children: [new PageBreak()] })] : []),
          ...(doc.sections.length > 0 ? [centered(`Phụ lục ${i + 1}`, { bold: true, size: 13 })] : []),
          ...table(t),
        ]),
      ],
    });
  }
  const file = new Document({
    creator: 'tthc reports',
    title: doc.title,
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections,
  });
  return Packer.toBuffer(file);
}
