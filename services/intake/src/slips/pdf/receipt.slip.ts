import { dateTimeInWords, pad2, present, processingTimeInWords } from './format';
import {
  CONTENT_WIDTH,
  type Doc,
  FONT,
  MARGIN,
  SIZE,
  type Signature,
  drawHeader,
  drawSignature,
  ensureSpace,
  field,
  fieldsOnOneLine,
  paragraph,
  signatureHeight,
} from './layout';
import type { ReceiptSlipData, ResultDelivery } from '../slip-data';
import { QR_SIZE, trackingQr } from './qr';
import { drawTable } from './table';

/** Mẫu số 01, Phụ lục Thông tư 01/2018/TT-VPCP: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export const RECEIPT_TITLE = 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả';

const QR_COLUMN = 100;

export async function drawReceipt(doc: Doc, slip: ReceiptSlipData): Promise<void> {
  // The one asynchronous step, done first so that the page is then drawn in one go.
  const qr = await trackingQr(slip.tracking, slip.dossierCode);

  drawHeader(doc, slip, RECEIPT_TITLE);
  field(doc, `${slip.issuer.nameInText} tiếp nhận hồ sơ của`, slip.applicant.name, { bold: true });
  if (present(slip.applicant.address)) field(doc, 'Địa chỉ', slip.applicant.address);
  fieldsOnOneLine(doc, [
    ['Số điện thoại', slip.applicant.phone],
    ['Email', slip.applicant.email],
  ]);
  field(doc, 'Nội dung yêu cầu giải quyết', slip.procedureName, { bold: true });

  // The form numbers its items; an item the desk leaves out does not leave a gap in the numbering.
  let item = 0;
  const next = (): string => `${++item}. `;

  paragraph(doc, `${next()}Thành phần hồ sơ nộp gồm:`);
  drawTable(
    doc,
    [
      { header: 'STT', weight: 8, align: 'center' },
      { header: 'Tên giấy tờ', weight: 68 },
      { header: 'Bản chính', weight: 12, align: 'center' },
      { header: 'Bản sao', weight: 12, align: 'center' },
    ],
    {
      fontSize: SIZE.small,
      rows: slip.components.map((c, i) => [String(i + 1), c.name, String(c.originals), String(c.copies)]),
    },
  );
  field(
    doc,
    `${next()}Số lượng hồ sơ`,
    `${pad2(slip.sets ?? 1)} (bộ), gồm ${pad2(slip.components.length)} thành phần`,
  );
  if (slip.processingTime) {
    field(
      doc,
      `${next()}Thời gian giải quyết hồ sơ theo quy định`,
      processingTimeInWords(slip.processingTime),
    );
  }
  field(doc, `${next()}Thời gian nhận hồ sơ`, dateTimeInWords(slip.receivedAt));
  field(doc, `${next()}Ngày hẹn trả kết quả`, dateTimeInWords(slip.dueAt), { bold: true });
  field(doc, `${next()}Đăng ký nhận kết quả`, deliveryInWords(slip.resultDelivery, slip.tracking.portal));
  if (slip.register) {
    paragraph(
      doc,
      `Vào Sổ theo dõi hồ sơ, Quyển số: ${slip.register.volume}, Số thứ tự: ${slip.register.entry}.`,
    );
  }
  drawFooter(doc, slip, qr);
}

function deliveryInWords(delivery: ResultDelivery, portal: string): string {
  switch (delivery.method) {
    case 'desk':
      return `trực tiếp tại ${delivery.place}`;
    case 'postal':
      return `qua dịch vụ bưu chính công ích, đến địa chỉ: ${delivery.address}`;
    case 'online':
      return `kết quả điện tử trên ${portal}`;
  }
}

/**
 * The tracking note, then the QR code with the dossier code under it beside the two signatures of
 * the form; kept together on one page, since the note points at the QR code "below".
 */
function drawFooter(doc: Doc, slip: ReceiptSlipData, qr: Buffer): void {
  const note = `Ông/Bà có thể tra cứu tình trạng giải quyết hồ sơ bằng mã hồ sơ ${slip.dossierCode} trên ${slip.tracking.portal} hoặc quét mã QR dưới đây.`;
  const signatures: Signature[] = [
    { title: 'NGƯỜI NỘP HỒ SƠ', hint: '(Ký và ghi rõ họ tên)' },
    { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: '(Ký và ghi rõ họ tên)', name: slip.officer.name },
  ];
  const width = (CONTENT_WIDTH - QR_COLUMN) / signatures.length;
  const codeSize = fittingSize(doc, slip.dossierCode, QR_COLUMN - 4);
  const codeHeight = doc.font(FONT.bold).fontSize(codeSize).currentLineHeight(true);
  const height = Math.max(QR_SIZE + 3 + codeHeight, ...signatures.map((s) => signatureHeight(doc, s, width)));
  const gap = doc.font(FONT.regular).fontSize(SIZE.body).currentLineHeight(true) * 0.4;
  const noteHeight = doc
    .font(FONT.italic)
    .fontSize(SIZE.small)
    .heightOfString(note, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
  ensureSpace(doc, noteHeight + 2 * gap + height);
  paragraph(doc, note, { font: FONT.italic, size: SIZE.small });
  doc.y += gap;
  const top = doc.y;

  doc.image(qr, MARGIN.left + (QR_COLUMN - QR_SIZE) / 2, top, { width: QR_SIZE, height: QR_SIZE });
  // On one line whatever its length, so that it reads (and scans by eye) as one code.
  doc
    .font(FONT.bold)
    .fontSize(codeSize)
    .text(slip.dossierCode, MARGIN.left, top + QR_SIZE + 3, {
      width: QR_COLUMN,
      align: 'center',
      lineBreak: false,
    });
  const bottoms = signatures.map((s, i) =>
    drawSignature(doc, s, MARGIN.left + QR_COLUMN + i * width, top, width),
  );
  doc.x = MARGIN.left;
  doc.y = Math.max(top + height, ...bottoms);
}

/** The body's small size, or smaller when the code would not fit the width on one line. */
function fittingSize(doc: Doc, text: string, width: number): number {
  const natural = doc.font(FONT.bold).fontSize(SIZE.small).widthOfString(text);
  return natural <= width ? SIZE.small : Math.max(5, (SIZE.small * width) / natural);
}
