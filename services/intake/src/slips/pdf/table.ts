import { BOTTOM, CONTENT_WIDTH, type Doc, FONT, MARGIN } from './layout';

/**
 * A ruled table that wraps long cell text, keeps each row whole on one page and repeats the
 * header row at the top of every page it continues on (the component list of Mẫu số 01 and the
 * hand-over table of Mẫu số 05, Thông tư 01/2018/TT-VPCP).
 */

export interface Column {
  header: string;
  /** Share of the body width; the shares of a table are scaled to fill it. */
  weight: number;
  align?: 'left' | 'center' | 'right';
}

export interface TableOptions {
  fontSize: number;
  /** Rows are plain text; '\n' breaks a line inside a cell. */
  rows: string[][];
}

const PADDING = 3;
const HEADER_FILL = '#e6e6e6';
const LINE_WIDTH = 0.5;

export function drawTable(doc: Doc, columns: Column[], options: TableOptions): void {
  const total = columns.reduce((sum, c) => sum + c.weight, 0);
  const widths = columns.map((c) => (c.weight / total) * CONTENT_WIDTH);
  const lefts = widths.map((_, i) => MARGIN.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const headers = columns.map((c) => c.header);
  const headerHeight = rowHeight(doc, headers, widths, FONT.bold, options.fontSize);

  const header = (): void => {
    doc.save().rect(MARGIN.left, doc.y, CONTENT_WIDTH, headerHeight).fill(HEADER_FILL).restore();
    drawRow(doc, headers, {
      widths,
      lefts,
      height: headerHeight,
      font: FONT.bold,
      size: options.fontSize,
      align: () => 'center',
    });
  };

  const first = options.rows[0];
  const firstHeight = first ? rowHeight(doc, first, widths, FONT.regular, options.fontSize) : 0;
  if (doc.y + headerHeight + firstHeight > BOTTOM) doc.addPage();
  header();
  for (const row of options.rows) {
    const height = rowHeight(doc, row, widths, FONT.regular, options.fontSize);
    if (doc.y + height > BOTTOM) {
      doc.addPage();
      header();
    }
    drawRow(doc, row, {
      widths,
      lefts,
      height,
      font: FONT.regular,
      size: options.fontSize,
      align: (i) => columns[i]?.align ?? 'left',
    });
  }
  doc.x = MARGIN.left;
  doc.moveDown(0.4);
}

function cellOptions(width: number, align: 'left' | 'center' | 'right' = 'left'): PDFKit.Mixins.TextOptions {
  return { width: width - 2 * PADDING, align, lineGap: 0.5 };
}

function rowHeight(doc: Doc, cells: string[], widths: number[], font: string, size: number): number {
  doc.font(font).fontSize(size);
  const heights = cells.map((text, i) =>
    doc.heightOfString(text === '' ? ' ' : text, cellOptions(widths[i] ?? 0)),
  );
  return Math.max(...heights) + 2 * PADDING;
}

interface RowLayout {
  widths: number[];
  lefts: number[];
  height: number;
  font: string;
  size: number;
  align: (column: number) => 'left' | 'center' | 'right';
}

/** Draws the cells at the cursor and moves the cursor below the row. */
function drawRow(doc: Doc, cells: string[], layout: RowLayout): void {
  const top = doc.y;
  doc.font(layout.font).fontSize(layout.size).fillColor('black');
  cells.forEach((text, i) => {
    const left = layout.lefts[i] ?? MARGIN.left;
    const width = layout.widths[i] ?? 0;
    doc.save().lineWidth(LINE_WIDTH).rect(left, top, width, layout.height).stroke().restore();
    if (text === '') return;
    // The height bound stops pdfkit from flowing a cell onto a new page; the row was measured to fit.
    doc.text(text, left + PADDING, top + PADDING, {
      ...cellOptions(width, layout.align(i)),
      height: layout.height,
    });
  });
  doc.x = MARGIN.left;
  doc.y = top + layout.height;
}
