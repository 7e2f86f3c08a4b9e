import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as fontkit from 'fontkit';
import { percentText, type BarChart, type TableBlock } from '../domain/document';

/**
 * A chart as every format shows it: grouped horizontal bars of rates (0–100 %), one colour per
 * series, laid out once as SVG (legend, category labels, a value label on every bar, the axis in
 * percent) and rasterised to PNG by resvg with the DejaVu fonts the package ships, never the
 * system's, so the Vietnamese letters come out the same on every machine. The chart's title is
 * left to the document (a caption, and the image's alt text); the figures are also given as a
 * table (chartValuesTable) to be read and copied.
 *
 * The layout is in points (1/72 in) at the width the chart is printed; a chart grows taller with
 * its categories and series, never narrower.
 */

const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = {
  regular: path.join(fontDir, 'DejaVuSansCondensed.ttf'),
  italic: path.join(fontDir, 'DejaVuSansCondensed-Oblique.ttf'),
};
/** The typographic family of the condensed faces (the only faces given to the renderer). */
const FAMILY = 'DejaVu Sans';

const COLOURS = ['#1f4e79', '#c55a11', '#548235', '#7f6000', '#7030a0', '#2e75b6', '#bf9000', '#c00000'];
const INK = '#1a1a1a';
const MUTED = '#595959';
const GRID = '#d9d9d9';

const SIZE = { label: 8.5, value: 7.5, legend: 8.5, axis: 7.5 };
const PAD = 6;
const BAR = 9;
const BAR_GAP = 2;
const GROUP_GAP = 7;
const LINE = 1.2; // line height, in ems
const MAX_LABEL_LINES = 3;
const TICKS = [0, 20, 40, 60, 80, 100];

/** Print resolution of the PNG. */
export const CHART_DPI = 300;
/** The A4 text width (210 mm less the 30 mm and 15 mm margins of both the DOCX and the PDF). */
export const TEXT_WIDTH_MM = 165;

type Face = keyof typeof FONT_FILES;
let faces: Record<Face, fontkit.Font> | undefined;
const face = (f: Face): fontkit.Font => {
  faces ??= {
    regular: fontkit.openSync(FONT_FILES.regular) as fontkit.Font,
    italic: fontkit.openSync(FONT_FILES.italic) as fontkit.Font,
  };
  return faces[f];
};

/** The width of a line of text in points, as the font sets it. */
function measure(text: string, size: number, f: Face = 'regular'): number {
  const font = face(f);
  return (font.layout(text).advanceWidth / font.unitsPerEm) * size;
}

/** Cuts text to a width, ending in an ellipsis. */
function ellipsize(text: string, width: number, size: number, f: Face = 'regular'): string {
  if (measure(text, size, f) <= width) return text;
  let t = text;
  while (t.length > 1 && measure(`${t}…`, size, f) > width) t = t.slice(0, -1);
  return `${t.trimEnd()}…`;
}

/** Breaks text into lines at spaces to fit a width; past maxLines the last line is ellipsized. */
export function wrapText(text: string, width: number, size: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines.map((l) => ellipsize(l, width, size));
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = ellipsize(`${kept[maxLines - 1]} ${lines.slice(maxLines).join(' ')}`, width, size);
  return kept.map((l) => ellipsize(l, width, size));
}

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number) => Math.round(v * 100) / 100;

function text(
  x: number,
  y: number,
  s: string,
  o: { size: number; anchor?: 'start' | 'middle' | 'end'; fill?: string; face?: Face },
): string {
  const style = o.face === 'italic' ? ' font-style="oblique"' : '';
  return `<text x="${n(x)}" y="${n(y)}" font-size="${o.size}" text-anchor="${o.anchor ?? 'start'}" fill="${o.fill ?? INK}"${style}>${escape(s)}</text>`;
}

/** A rate as the chart labels it: vi-VN percent, "không áp dụng" where there is none. */
const valueText = (v: number | null) => percentText(v === null ? null : v / 100);

/** The chart laid out as SVG, `width` points wide; its height follows from its content. */
export function chartSvg(
  c: BarChart,
  width = (TEXT_WIDTH_MM * 72) / 25.4,
): {
  svg: string;
  width: number;
  height: number;
} {
  const parts: string[] = [];
  const inner = width - 2 * PAD;

  // Legend: a swatch and the series' label, flowing onto more lines when they do not fit.
  let lx = PAD;
  let ly = PAD;
  const legendLine = SIZE.legend * LINE + 3;
  c.series.forEach((s, i) => {
    const label = ellipsize(s.label, inner - 14, SIZE.legend);
    const w = 14 + measure(label, SIZE.legend) + 14;
    if (lx > PAD && lx + w > width - PAD) {
      lx = PAD;
      ly += legendLine;
    }
    parts.push(
      `<rect x="${n(lx)}" y="${n(ly + 1)}" width="9" height="9" fill="${COLOURS[i % COLOURS.length]}"/>`,
      text(lx + 13, ly + SIZE.legend, label, { size: SIZE.legend }),
    );
    lx += w;
  });
  const top = ly + legendLine + 6;

  // Category labels on the left, wrapped to at most three lines of at most 36 % of the width.
  const labelWidth = Math.min(
    inner * 0.36,
    Math.max(40, ...c.categories.map((k) => measure(k, SIZE.label))) + 2,
  );
  const labels = c.categories.map((k) => wrapText(k, labelWidth, SIZE.label, MAX_LABEL_LINES));
  // Room right of the plot for the label of a full bar.
  const valueRoom = measure(valueText(100), SIZE.value) + 6;
  const x0 = PAD + labelWidth + 8;
  const plot = width - PAD - valueRoom - x0;
  const xOf = (v: number) => x0 + (plot * Math.max(0, Math.min(v, 100))) / 100;

  const barsHeight = c.series.length * (BAR + BAR_GAP) - BAR_GAP;
  const groups = labels.map((ls) => Math.max(barsHeight, ls.length * SIZE.label * LINE) + GROUP_GAP);
  const plotHeight = groups.reduce((a, b) => a + b, 0);
  const axisY = top + plotHeight;

  // Grid and axis: 0–100 %, every 20.
  for (const t of TICKS) {
    const x = xOf(t);
    parts.push(
      `<line x1="${n(x)}" y1="${n(top)}" x2="${n(x)}" y2="${n(axisY)}" stroke="${t === 0 ? MUTED : GRID}" stroke-width="${t === 0 ? 0.8 : 0.5}"/>`,
      text(x, axisY + 4 + SIZE.axis, `${t}%`, { size: SIZE.axis, anchor: 'middle', fill: MUTED }),
    );
  }
  parts.push(
    `<line x1="${n(x0)}" y1="${n(axisY)}" x2="${n(xOf(100))}" y2="${n(axisY)}" stroke="${MUTED}" stroke-width="0.8"/>`,
  );

  let y = top;
  c.categories.forEach((_, k) => {
    const h = groups[k]!;
    const mid = y + h / 2;
    const ls = labels[k]!;
    const lh = SIZE.label * LINE;
    ls.forEach((l, j) =>
      parts.push(
        text(x0 - 6, mid - (ls.length * lh) / 2 + j * lh + SIZE.label * 0.95, l, {
          size: SIZE.label,
          anchor: 'end',
        }),
      ),
    );
    const by0 = mid - barsHeight / 2;
    c.series.forEach((s, i) => {
      const v = s.values[k] ?? null;
      const by = by0 + i * (BAR + BAR_GAP);
      const baseline = by + BAR / 2 + SIZE.value * 0.36;
      if (v === null) {
        parts.push(
          text(x0 + 3, baseline, valueText(null), { size: SIZE.value, fill: MUTED, face: 'italic' }),
        );
        return;
      }
      const end = xOf(v);
      if (end > x0)
        parts.push(
          `<rect x="${n(x0)}" y="${n(by)}" width="${n(end - x0)}" height="${BAR}" fill="${COLOURS[i % COLOURS.length]}"/>`,
        );
      parts.push(text(end + 3, baseline, valueText(v), { size: SIZE.value }));
    });
    y += h;
  });

  const height = Math.ceil(axisY + 4 + SIZE.axis * LINE + PAD);
  const w = n(width);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${height}" viewBox="0 0 ${w} ${height}" font-family="${FAMILY}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${parts.join('')}</svg>`;
  return { svg, width, height };
}

export interface ChartImage {
  png: Buffer;
  /** Pixels of the PNG. */
  pixels: { width: number; height: number };
  /** The size it is printed at, in points. */
  points: { width: number; height: number };
}

/** SVG laid out in points as a PNG at `dpi`, its text set in the package's DejaVu faces only. */
export function rasterize(svg: string, dpi = CHART_DPI): { png: Buffer; width: number; height: number } {
  const image = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: dpi / 72 },
    background: '#ffffff',
    font: {
      loadSystemFonts: false,
      fontFiles: Object.values(FONT_FILES),
      defaultFontFamily: FAMILY,
      sansSerifFamily: FAMILY,
    },
  }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}

/** The chart as a PNG at print resolution, `widthMm` wide when printed. */
export function chartPng(c: BarChart, o: { widthMm?: number; dpi?: number } = {}): ChartImage {
  const { svg, width, height } = chartSvg(c, ((o.widthMm ?? TEXT_WIDTH_MM) * 72) / 25.4);
  const image = rasterize(svg, o.dpi);
  return {
    png: image.png,
    pixels: { width: image.width, height: image.height },
    points: { width, height },
  };
}

/** The chart's figures as a table (category × series, rates with two decimals), shown under the image. */
export function chartValuesTable(c: BarChart): TableBlock {
  return {
    id: 'chart-values',
    title: c.title,
    header: [[{ text: c.categoryLabel ?? 'Lĩnh vực' }, ...c.series.map((s) => ({ text: `${s.label} (%)` }))]],
    widths: [c.series.length > 2 ? 34 : 44, ...c.series.map(() => 20)],
    rows: c.categories.map((category, k) => ({
      cells: [category, ...c.series.map((s) => s.values[k] ?? 'không áp dụng')],
    })),
    percentColumns: c.series.map((_, i) => i + 1),
  };
}
