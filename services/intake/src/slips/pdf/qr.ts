import QRCode from 'qrcode';
import { present } from './format';
import { CONTENT_WIDTH, type Doc, FONT, MARGIN, SIZE, ensureSpace } from './layout';
import type { Tracking } from '../slip-data';

export const QR_SIZE = 68;

/** The QR code of a slip: the tracking link, or the dossier code where no link is configured. */
export function trackingQr(tracking: Tracking, dossierCode: string): Promise<Buffer> {
  return QRCode.toBuffer(present(tracking.url) ? tracking.url : dossierCode, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 1,
    scale: 6,
  });
}

/** The tracking note with the QR code beside it, at the foot of a slip (Mẫu số 04 and 05). */
export function drawTrackingBlock(
  doc: Doc,
  slip: { dossierCode: string; tracking: Tracking },
  qr: Buffer,
): void {
  // The link itself is in the QR code: printed, a long URL would not break across lines.
  const note = `Tra cứu tình trạng giải quyết hồ sơ: quét mã QR bên cạnh, hoặc tra mã hồ sơ ${slip.dossierCode} trên ${slip.tracking.portal}.`;
  doc.moveDown(0.6);
  ensureSpace(doc, QR_SIZE + 4);
  const top = doc.y;
  doc.image(qr, MARGIN.left, top, { width: QR_SIZE, height: QR_SIZE });
  doc.y = top + QR_SIZE / 2 - 12;
  doc
    .font(FONT.italic)
    .fontSize(SIZE.small)
    .text(note, MARGIN.left + QR_SIZE + 8, doc.y, { width: CONTENT_WIDTH - QR_SIZE - 8, align: 'left' });
  doc.x = MARGIN.left;
  doc.y = Math.max(doc.y, top + QR_SIZE);
}
