import { dateInWords, dateTimeInWords, present, upper } from './format';
import { type Doc, FONT, drawHeader, field, paragraph, signatureRow } from './layout';
import type { ApologySlipData } from '../slip-data';
import { drawTrackingBlock, trackingQr } from './qr';

/**
 * Mẫu số 04, Phụ lục Thông tư 01/2018/TT-VPCP: Phiếu xin lỗi và hẹn lại ngày trả kết quả. Issued
 * at least one day before the due date, once per dossier; the dossier is still judged late
 * against the original due date (domain.md, "Dossier lifecycle"), which is why the slip prints both.
 */
export const APOLOGY_TITLE = 'Phiếu xin lỗi và hẹn lại ngày trả kết quả';

export async function drawApology(doc: Doc, slip: ApologySlipData): Promise<void> {
  const qr = await trackingQr(slip.tracking, slip.dossierCode);
  const agency = slip.issuer.nameInText;
  drawHeader(doc, slip, APOLOGY_TITLE);
  field(doc, 'Kính gửi', slip.applicant.name, { bold: true });
  if (present(slip.applicant.address)) field(doc, 'Địa chỉ', slip.applicant.address);
  doc.moveDown(0.3);
  paragraph(
    doc,
    `${dateInWords(slip.receivedAt).replace(/^ngày/, 'Ngày')}, ${agency} tiếp nhận giải quyết hồ sơ của Ông/Bà.`,
    { prose: true },
  );
  field(doc, 'Nội dung yêu cầu giải quyết', slip.procedureName, { bold: true });
  field(doc, 'Mã hồ sơ', slip.dossierCode);
  field(doc, 'Thời gian hẹn trả kết quả giải quyết hồ sơ', dateTimeInWords(slip.originalDueAt));
  doc.moveDown(0.3);
  paragraph(
    doc,
    `Tuy nhiên đến nay, ${agency} chưa trả kết quả giải quyết hồ sơ của Ông/Bà. Lý do: ${slip.reason}`,
    {
      prose: true,
    },
  );
  paragraph(
    doc,
    `Sự chậm trễ này đã gây phiền hà cho Ông/Bà. ${agency} xin lỗi Ông/Bà và hẹn lại ngày trả kết quả giải quyết hồ sơ vào ${dateTimeInWords(slip.newDueAt)}.`,
    { prose: true },
  );
  paragraph(doc, 'Xin trân trọng cảm ơn./.', { font: FONT.bold, prose: true });
  signatureRow(doc, [
    { title: upper(slip.signer.position), hint: '(Ký tên, đóng dấu)', name: slip.signer.name },
  ]);
  drawTrackingBlock(doc, slip, qr);
}
