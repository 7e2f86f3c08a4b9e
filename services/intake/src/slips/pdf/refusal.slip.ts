import { present } from './format';
import { type Doc, drawHeader, field, fieldsOnOneLine, paragraph, signatureRow } from './layout';
import type { RefusalSlipData } from '../slip-data';

/** Mẫu số 03, Phụ lục Thông tư 01/2018/TT-VPCP: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export const REFUSAL_TITLE = 'Phiếu từ chối tiếp nhận giải quyết hồ sơ';

export function drawRefusal(doc: Doc, slip: RefusalSlipData): void {
  drawHeader(doc, slip, REFUSAL_TITLE);
  field(doc, `${slip.issuer.nameInText} tiếp nhận hồ sơ của`, slip.applicant.name, { bold: true });
  if (present(slip.applicant.address)) field(doc, 'Địa chỉ', slip.applicant.address);
  fieldsOnOneLine(doc, [
    ['Số điện thoại', slip.applicant.phone],
    ['Email', slip.applicant.email],
  ]);
  field(doc, 'Nội dung yêu cầu giải quyết', slip.procedureName, { bold: true });
  doc.moveDown(0.3);
  paragraph(
    doc,
    `Qua nghiên cứu, xem xét, đối chiếu với các quy định hiện hành, ${slip.issuer.nameInText} từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`,
    { prose: true },
  );
  paragraph(doc, slip.reason, { indent: 12 });
  doc.moveDown(0.2);
  paragraph(doc, 'Xin thông báo cho Ông/Bà được biết và thực hiện./.', { prose: true });
  signatureRow(doc, [
    { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: '(Ký và ghi rõ họ tên)', name: slip.officer.name },
  ]);
}
