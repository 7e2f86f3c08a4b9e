import { chartPng, chartSvg, chartValuesTable, rasterize, wrapText } from '../../src/formats/chart';
import type { BarChart } from '../../src/domain/document';

const FIELDS = [
  'Dược phẩm',
  'Khám bệnh, chữa bệnh',
  'Y tế dự phòng',
  'Trang thiết bị y tế và công trình y tế, an toàn thực phẩm và dinh dưỡng cộng đồng, giám định y khoa và pháp y',
  'Giám định y khoa',
  'Dân số - Kế hoạch hóa gia đình',
  'Mỹ phẩm',
  'Tổ chức cán bộ',
  'Bảo hiểm y tế',
  'Đào tạo, nghiên cứu khoa học và công nghệ thông tin',
  'An toàn thực phẩm',
  'Y dược cổ truyền',
  'Sức khỏe bà mẹ trẻ em',
  'Môi trường y tế',
  'Thanh tra',
];

const byField = (count: number): BarChart => ({
  title: 'Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn và tỷ lệ hồ sơ trực tuyến theo lĩnh vực (%)',
  categories: FIELDS.slice(0, count),
  series: [
    { label: 'Trước hạn, đúng hạn', values: FIELDS.slice(0, count).map((_, i) => (i === 2 ? null : 88.89)) },
    { label: 'Nộp trực tuyến', values: FIELDS.slice(0, count).map((_, i) => [70, 50, 33.33, 100][i % 4]!) },
  ],
});

/** The width and height a PNG declares in its IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('a chart', () => {
  it('renders to a PNG at 300 dpi across the 165 mm of A4 text width', () => {
    const image = chartPng(byField(3));
    expect(image.png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngSize(image.png)).toEqual(image.pixels);
    expect(image.pixels.width).toBe(Math.round((165 / 25.4) * 300));
    // The printed size keeps the pixels' proportions.
    expect(image.points.width / image.points.height).toBeCloseTo(image.pixels.width / image.pixels.height, 1);
  });

  it('grows taller with its categories, never narrower', () => {
    const three = chartPng(byField(3)).pixels;
    const fifteen = chartPng(byField(15)).pixels;
    expect(fifteen.width).toBe(three.width);
    expect(fifteen.height).toBeGreaterThan(three.height * 3);
  });

  it('draws its text with the fonts it ships (no system fonts), Vietnamese letters included', () => {
    // The same layout with and without its text: without fonts the renderer would draw no text.
    const { svg } = chartSvg({
      title: 't',
      categories: ['Dược phẩm'],
      series: [{ label: 'Tỷ lệ', values: [50] }],
    });
    const withText = rasterize(svg, 72);
    const withoutText = rasterize(svg.replace(/(<text[^>]*>)[^<]*/g, '$1'), 72);
    expect(withText.png.equals(withoutText.png)).toBe(false);
    // A letter only Vietnamese has is drawn, not left out: "ượ" differs from "uo".
    const plain = rasterize(svg.replace('Dược', 'Duoc'), 72);
    expect(withText.png.equals(plain.png)).toBe(false);
  });

  it('labels the bars in vi-VN percent, "không áp dụng" where there is no rate, and the axis 0–100 %', () => {
    const { svg } = chartSvg(byField(3));
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Trước hạn, đúng hạn',
        'Nộp trực tuyến',
        'Dược phẩm',
        'Khám bệnh, chữa bệnh',
        '88,89%',
        '33,33%',
        'không áp dụng',
        '0%',
        '100%',
      ]),
    );
    // Two swatches in the legend, then both bars of a category with rates, one where there is none.
    expect(svg.match(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="9"/g)).toHaveLength(2 + 5);
  });

  it('wraps a long category name onto lines that fit, ellipsizing what does not', () => {
    const lines = wrapText(FIELDS[3]!, 150, 8.5, 3);
    expect(lines).toHaveLength(3);
    expect(lines[2]!.endsWith('…')).toBe(true);
    expect(lines.join(' ').startsWith('Trang thiết bị y tế và công trình y tế')).toBe(true);
    expect(wrapText('Dược phẩm', 150, 8.5, 3)).toEqual(['Dược phẩm']);
  });

  it('gives its figures as a table: category by series, "không áp dụng" where there is no rate', () => {
    const t = chartValuesTable(byField(3));
    expect(t.header).toEqual([
      [{ text: 'Lĩnh vực' }, { text: 'Trước hạn, đúng hạn (%)' }, { text: 'Nộp trực tuyến (%)' }],
    ]);
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['Dược phẩm', 88.89, 70],
      ['Khám bệnh, chữa bệnh', 88.89, 50],
      ['Y tế dự phòng', 'không áp dụng', 33.33],
    ]);
    expect(t.percentColumns).toEqual([1, 2]);
  });
});
