import JSZip from 'jszip';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { defaultDocxTemplate } from '../../src/formats/docx.format';
import { checkDocxTemplate, renderDocxFromTemplate, TemplateRefused } from '../../src/formats/docx-template';
import { reportKinds } from '../../src/kinds/registry';
import { childAnswers } from '../support/facts';

const ctx = { reportId: 'r1', version: 1, dataCutAt: new Date('2026-04-02T03:00:00Z') };
const reform = () =>
  reportKinds['reform-report'].assemble(
    reportKinds['reform-report'].params.parse({
      agencyCode: '000.00.17.H55',
      period: '2026-Q1',
      narrative: { assessment: 'Hoàn thành kế hoạch quý.' },
    }),
    childAnswers(),
    ctx,
  );
const docxWith = (...lines: string[]) =>
  Packer.toBuffer(
    new Document({
      sections: [{ children: lines.map((l) => new Paragraph({ children: [new TextRun(l)] })) }],
    }),
  );
const textOf = async (bytes: Buffer) =>
  (await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');

describe('the DOCX template a department can replace', () => {
  it('ships a default that holds every required placeholder', async () => {
    expect(await checkDocxTemplate(await defaultDocxTemplate())).toEqual([
      'body',
      'issuer',
      'placeAndDate',
      'subtitle',
      'title',
    ]);
  });

  it('fills a department’s own template: its letterhead kept, the placeholders replaced, the sections and tables in {{body}}', async () => {
    const template = await docxWith(
      'SỞ Y TẾ TỈNH QUẢNG NAM — MẪU RIÊNG',
      '{{issuer}}',
      '{{title}}',
      '{{subtitle}}',
      '{{body}}',
      'Nơi nhận: Sở Nội vụ',
    );
    const bytes = await renderDocxFromTemplate(template, reform());
    const text = await textOf(bytes);
    expect(text).toContain('SỞ Y TẾ TỈNH QUẢNG NAM — MẪU RIÊNG');
    expect(text).toContain('BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QUÝ 1 NĂM 2026');
    expect(text).toContain('CƠ QUAN BÁO CÁO: 000.00.17.H55');
    expect(text).toContain('I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH');
    expect(text).toContain('Tổng số hồ sơ tiếp nhận: 20');
    expect(text).toContain('Hoàn thành kế hoạch quý.');
    expect(text).toContain('Nơi nhận: Sở Nội vụ');
    expect(text).not.toContain('{{');
    // The charts come in as images: each drawing refers to a PNG part the package holds.
    const zip = await JSZip.loadAsync(bytes);
    const xml = await zip.file('word/document.xml')!.async('string');
    const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
    const embeds = [...xml.matchAll(/r:embed="([^"]+)"/g)].map((m) => m[1]!);
    expect(embeds).toHaveLength(2);
    for (const id of embeds) {
      const target = new RegExp(`Id="${id}" Type="[^"]+/image" Target="(media/[^"]+\\.png)"`).exec(rels)?.[1];
      expect(zip.file(`word/${target}`)).not.toBeNull();
    }
    expect(xml).toContain(
      'descr="Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn và tỷ lệ hồ sơ trực tuyến theo tháng (%)"',
    );
    expect(await zip.file('[Content_Types].xml')!.async('string')).toContain('Extension="png"');
    expect(text).toContain('Dược phẩm88,8970,00');
  });

  it('refuses a file that is not a DOCX, and one lacking placeholders, naming them', async () => {
    await expect(checkDocxTemplate(Buffer.from('not a zip'))).rejects.toMatchObject({ code: 'invalid_docx' });
    const zip = new JSZip();
    zip.file('hello.txt', 'xin chào');
    await expect(checkDocxTemplate(await zip.generateAsync({ type: 'nodebuffer' }))).rejects.toThrow(
      /no \[Content_Types\]\.xml/,
    );
    const partial = await docxWith('{{issuer}}', '{{title}}');
    const refused = await checkDocxTemplate(partial).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TemplateRefused);
    expect(refused).toMatchObject({ code: 'template_placeholders_missing', missing: ['subtitle', 'body'] });
  });
});
