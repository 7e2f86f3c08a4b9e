import path from 'node:path';
import PDFDocument from 'pdfkit';
import { placeAndDate, present, upper } from './format';
import type { SlipCommon } from '../slip-data';

/**
 * The page and the header shared by every form of Thông tư 01/2018/TT-VPCP (Phụ lục, Mẫu số
 * 01–05): issuing body top left, national motto top right, place and date, title, dossier code.
 * Printed on A5 portrait, the size desks use for slips handed to applicants.
 */

export type Doc = PDFKit.PDFDocument;

/** pdfkit's A5: 148 × 210 mm. */
export const PAGE = { width: 419.53, height: 595.28 } as const;
/** Wider on the binding (left) side, as Nghị định 30/2020/NĐ-CP lays out paper documents. */
export const MARGIN = { top: 34, bottom: 36, left: 40, right: 28 } as const;
export const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
export const BOTTOM = PAGE.height - MARGIN.bottom;

export const SIZE = { header: 8.5, title: 11.5, body: 9.5, signature: 9, small: 8, table: 7.5 } as const;

/** DejaVu covers every Vietnamese letter with its own glyph; the condensed cut fits A5 lines. */
export const FONT = { regular: 'slip-regular', bold: 'slip-bold', italic: 'slip-italic' } as const;
const FONT_FILES: Record<keyof typeof FONT, string> = {
  regular: 'DejaVuSerifCondensed.ttf',
  bold: 'DejaVuSerifCondensed-Bold.ttf',
  italic: 'DejaVuSerifCondensed-Italic.ttf',
};
const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export interface DocumentMeta {
  title: string;
  author: string;
  createdAt: Date;
  /** Repeated at the foot of every page of a slip that runs over one page, so a loose page can be matched. */
  dossierCode: string;
}

/** The slips being rendered, one after another (see useFonts: the parsed fonts are shared). */
let rendering: Promise<unknown> = Promise.resolve();

/**
 * Creates an A5 document with the fonts, lets `draw` fill it, numbers the pages, returns the bytes.
 * Documents render one at a time: rendering is CPU work, so taking turns costs no throughput, and
 * it keeps each document's use of the shared fonts to itself.
 */
export function renderDocument(
  meta: DocumentMeta,
  draw: (doc: Doc) => Promise<void> | void,
): Promise<Buffer> {
  const turn = rendering.then(() => renderOne(meta, draw));
  rendering = turn.catch(() => undefined);
  return turn;
}

async function renderOne(meta: DocumentMeta, draw: (doc: Doc) => Promise<void> | void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A5',
    margins: MARGIN,
    bufferPages: true,
    lang: 'vi-VN',
    displayTitle: true,
    info: { Title: meta.title, Author: meta.author, Creator: 'tthc intake', CreationDate: meta.createdAt },
  });
  const bytes = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  useFonts(doc);
  doc.font(FONT.regular).fontSize(SIZE.body);
  await draw(doc);
  numberPages(doc, meta.dossierCode);
  doc.end();
  return bytes;
}

/** pdfkit's per-document font record, reached to share the parsed fonts (pdfkit has no public way). */
interface FontInternals {
  _fontFamilies: Record<
    string,
    { font: unknown; constructor: new (doc: Doc, font: unknown, id: string) => object }
  >;
  _fontCount: number;
}
let parsedFonts:
  Map<string, { font: unknown; make: new (doc: Doc, font: unknown, id: string) => object }> | undefined;

/**
 * Registers the slip fonts on a document. pdfkit parses a font file anew for every document, and
 * parsing DejaVu's tables (cmap, metrics, GSUB/GPOS) is most of the cost of a slip (about 3/4 of
 * 150 ms, during which the process answers nothing else). The parsed fonts are immutable, so they
 * are parsed once per process and each document gets its own embedding (its own glyph subset) of
 * them. Should pdfkit's internals change shape, each document parses its fonts as before.
 */
function useFonts(doc: Doc): void {
  for (const key of Object.keys(FONT) as (keyof typeof FONT)[]) {
    doc.registerFont(FONT[key], path.join(fontDir, FONT_FILES[key]));
  }
  const internals = doc as unknown as FontInternals;
  if (!parsedFonts) {
    const parsed = new Map<
      string,
      { font: unknown; make: new (doc: Doc, font: unknown, id: string) => object }
    >();
    for (const name of Object.values(FONT)) {
      doc.font(name);
      const embedded = internals._fontFamilies?.[name];
      if (!embedded?.font) return; // not the pdfkit this was written against: parse per document
      parsed.set(name, { font: embedded.font, make: embedded.constructor });
    }
    parsedFonts = parsed;
    return;
  }
  for (const [name, { font, make }] of parsedFonts) {
    // Glyphs are cached with the code points of their first use; a fresh cache per document keeps
    // each document's text layer (what a reader copies or searches) its own.
    (font as { _glyphs?: object })._glyphs = {};
    internals._fontFamilies[name] = new make(doc, font, `F${++internals._fontCount}`) as {
      font: unknown;
      constructor: new (doc: Doc, font: unknown, id: string) => object;
    };
  }
}

/** "Mã hồ sơ: … – Trang 2/3" at the foot of each page, only when the slip runs over one page. */
function numberPages(doc: Doc, dossierCode: string): void {
  const { start, count } = doc.bufferedPageRange();
  if (count < 2) return;
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit open a new page.
    doc.page.margins.bottom = 0;
    doc.font(FONT.italic).fontSize(SIZE.small);
    doc.text(
      `Mã hồ sơ: ${dossierCode} – Trang ${i - start + 1}/${count}`,
      MARGIN.left,
      PAGE.height - MARGIN.bottom + 12,
      {
        width: CONTENT_WIDTH,
        align: 'center',
        lineBreak: false,
      },
    );
    doc.page.margins.bottom = MARGIN.bottom;
  }
}

/** Header block, title and dossier code; leaves the cursor at the start of the body. */
export function drawHeader(doc: Doc, slip: SlipCommon, title: string): void {
  const leftWidth = 150;
  const gap = 6;
  const rightX = MARGIN.left + leftWidth + gap;
  const rightWidth = CONTENT_WIDTH - leftWidth - gap;

  doc.font(FONT.regular).fontSize(SIZE.header);
  doc.text(upper(slip.issuer.parent), MARGIN.left, MARGIN.top, { width: leftWidth, align: 'center' });
  doc.font(FONT.bold).text(upper(slip.issuer.name), { width: leftWidth, align: 'center' });
  let leftBottom = underline(doc, MARGIN.left + leftWidth / 2, doc.y + 2, 44);
  if (present(slip.documentNumber)) {
    doc
      .font(FONT.regular)
      .text(`Số: ${slip.documentNumber}`, MARGIN.left, leftBottom + 3, { width: leftWidth, align: 'center' });
    leftBottom = doc.y;
  }

  doc.font(FONT.bold).fontSize(SIZE.header);
  doc.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, MARGIN.top, { width: rightWidth, align: 'center' });
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  doc.fontSize(SIZE.header + 0.5).text(motto, { width: rightWidth, align: 'center' });
  const ruleY = underline(doc, rightX + rightWidth / 2, doc.y + 2, doc.widthOfString(motto));
  doc.font(FONT.italic).fontSize(SIZE.header + 0.5);
  doc.text(placeAndDate(slip.place, slip.issuedAt), rightX, ruleY + 5, {
    width: rightWidth,
    align: 'center',
  });
  const rightBottom = doc.y;

  doc.font(FONT.bold).fontSize(SIZE.title);
  doc.text(upper(title), MARGIN.left, Math.max(leftBottom, rightBottom) + 16, {
    width: CONTENT_WIDTH,
    align: 'center',
  });
  centeredPair(doc, 'Mã hồ sơ: ', slip.dossierCode, doc.y + 3, SIZE.body);
  doc.x = MARGIN.left;
  doc.y += 10;
}

/** A short centred rule, as under the issuing body and the motto; returns its y. */
function underline(doc: Doc, centreX: number, y: number, width: number): number {
  doc
    .save()
    .lineWidth(0.6)
    .moveTo(centreX - width / 2, y)
    .lineTo(centreX + width / 2, y)
    .stroke()
    .restore();
  return y;
}

/** A regular label and a bold value on one centred line. */
export function centeredPair(doc: Doc, label: string, value: string, y: number, size: number): void {
  const labelWidth = doc.font(FONT.regular).fontSize(size).widthOfString(label);
  const valueWidth = doc.font(FONT.bold).fontSize(size).widthOfString(value);
  const x = MARGIN.left + Math.max(0, (CONTENT_WIDTH - labelWidth - valueWidth) / 2);
  doc.font(FONT.regular).text(label, x, y, { lineBreak: false });
  doc.font(FONT.bold).text(value, x + labelWidth, y, { lineBreak: false });
  doc.y = y + doc.currentLineHeight(true);
}

/** "Label: value" wrapping over the body width; the value in bold when it names someone. */
export function field(doc: Doc, label: string, value: string, options: { bold?: boolean } = {}): void {
  doc.font(FONT.regular).fontSize(SIZE.body);
  doc.text(`${label}: `, MARGIN.left, doc.y, { width: CONTENT_WIDTH, continued: true });
  doc.font(options.bold ? FONT.bold : FONT.regular).text(value);
  doc.moveDown(0.15);
}

/** Two short fields on one line ("Số điện thoại: ... Email: ..."), skipping the absent ones. */
export function fieldsOnOneLine(doc: Doc, fields: [label: string, value: string | undefined][]): void {
  const shown = fields.filter((f): f is [string, string] => present(f[1]));
  if (shown.length === 0) return;
  field(
    doc,
    shown[0]![0],
    shown.map(([label, value], i) => (i === 0 ? value : `   ${label}: ${value}`)).join(''),
  );
}

export interface ParagraphOptions {
  font?: string;
  size?: number;
  /** Left indent of every line (list items). */
  indent?: number;
  /** Prose: the first line indented, as administrative documents set running text. */
  prose?: boolean;
}

export function paragraph(doc: Doc, text: string, options: ParagraphOptions = {}): void {
  const indent = options.indent ?? 0;
  doc.font(options.font ?? FONT.regular).fontSize(options.size ?? SIZE.body);
  doc.text(text, MARGIN.left + indent, doc.y, {
    width: CONTENT_WIDTH - indent,
    align: 'justify',
    indent: options.prose ? 14 : 0,
  });
  doc.moveDown(options.prose ? 0.3 : 0.15);
}

/** Starts a new page when fewer than `height` points are left, to keep a block whole. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

export interface Signature {
  /** In capitals, one or more lines: "NGƯỜI TIẾP NHẬN HỒ SƠ", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC". */
  title: string;
  /** "(Ký và ghi rõ họ tên)", "(Ký tên, đóng dấu)". */
  hint: string;
  name?: string;
}

const SIGNING_SPACE = 40;

export function signatureHeight(doc: Doc, signature: Signature, width: number): number {
  const title = doc.font(FONT.bold).fontSize(SIZE.signature).heightOfString(signature.title, { width });
  const hint = doc.font(FONT.italic).fontSize(SIZE.small).heightOfString(signature.hint, { width });
  return title + hint + SIGNING_SPACE + doc.font(FONT.bold).fontSize(SIZE.body).currentLineHeight(true);
}

/** A signature block centred in a column starting at (x, y); returns its bottom. */
export function drawSignature(doc: Doc, signature: Signature, x: number, y: number, width: number): number {
  doc.font(FONT.bold).fontSize(SIZE.signature).text(signature.title, x, y, { width, align: 'center' });
  doc.font(FONT.italic).fontSize(SIZE.small).text(signature.hint, x, doc.y, { width, align: 'center' });
  const nameY = doc.y + SIGNING_SPACE;
  if (present(signature.name))
    doc.font(FONT.bold).fontSize(SIZE.body).text(signature.name, x, nameY, { width, align: 'center' });
  return Math.max(doc.y, nameY + doc.currentLineHeight(true));
}

/** One signature sits on the right half, as on the forms; two share the width. */
export function signatureRow(doc: Doc, signatures: Signature[]): void {
  const width = signatures.length === 1 ? CONTENT_WIDTH / 2 : CONTENT_WIDTH / signatures.length;
  const firstX = signatures.length === 1 ? MARGIN.left + CONTENT_WIDTH / 2 : MARGIN.left;
  doc.moveDown(0.6);
  ensureSpace(doc, Math.max(...signatures.map((s) => signatureHeight(doc, s, width))));
  const top = doc.y;
  const bottoms = signatures.map((s, i) => drawSignature(doc, s, firstX + i * width, top, width));
  doc.x = MARGIN.left;
  doc.y = Math.max(...bottoms);
}
