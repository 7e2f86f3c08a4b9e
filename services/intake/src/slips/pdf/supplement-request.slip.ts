import { dateTimeInWords, officerWithPosition, present } from './format';
import { type Doc, FONT, drawHeader, field, fieldsOnOneLine, paragraph, signatureRow } from './layout';
import type { SupplementRequestSlipData } from '../slip-data';

/** Mẫu số 02, Phụ lục Thông tư 01/2018/TT-VPCP: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export const SUPPLEMENT_REQUEST_TITLE = 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ';

const ITEM_INDENT = 12;

export function drawSupplementRequest(doc: Doc, slip: SupplementRequestSlipData): void {
  drawHeader(doc, slip, SUPPLEMENT_REQUEST_TITLE);
  field(doc, 'Hồ sơ của', slip.applicant.name, { bold: true });
  if (present(slip.applicant.address)) field(doc, 'Địa chỉ', slip.applicant.address);
  fieldsOnOneLine(doc, [
    ['Số điện thoại', slip.applicant.phone],
    ['Email', slip.applicant.email],
  ]);
  field(doc, 'Nội dung yêu cầu giải quyết', slip.procedureName, { bold: true });

  doc.moveDown(0.3);
  // The whole list, asked once, each item with its reason (Nghị định 61/2018/NĐ-CP, Điều 19;
  // domain.md, "Dossier lifecycle").
  paragraph(doc, 'Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:', { font: FONT.bold });
  slip.items.forEach((item, i) => {
    paragraph(doc, `${i + 1}. ${item.content}`, { indent: ITEM_INDENT });
    paragraph(doc, `Lý do: ${item.reason}`, { indent: ITEM_INDENT * 2, font: FONT.italic });
  });
  doc.moveDown(0.3);
  if (slip.deadline) {
    field(doc, 'Thời hạn bổ sung, hoàn thiện hồ sơ', `trước ${dateTimeInWords(slip.deadline)}`, {
      bold: true,
    });
  }
  const phone = present(slip.officer.phone) ? `, số điện thoại ${slip.officer.phone}` : '';
  paragraph(
    doc,
    `Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với ${present(slip.officer.name) ? officerWithPosition(slip.officer) : slip.issuer.nameInText}${phone} để được hướng dẫn.`,
    { prose: true },
  );
  signatureRow(doc, [{ title: 'NGƯỜI HƯỚNG DẪN', hint: '(Ký và ghi rõ họ tên)', name: slip.officer.name }]);
}
