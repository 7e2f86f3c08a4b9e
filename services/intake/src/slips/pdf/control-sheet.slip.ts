import { dateTimeInWords, present, shortDateTime, timelinessLabel } from './format';
import { type Doc, SIZE, drawHeader, field } from './layout';
import type { ControlSheetSlipData, Handover, HandoverParty } from '../slip-data';
import { drawTrackingBlock, trackingQr } from './qr';
import { type Column, drawTable } from './table';

/**
 * Mẫu số 05, Phụ lục Thông tư 01/2018/TT-VPCP: Phiếu kiểm soát quá trình giải quyết hồ sơ. The
 * paper form is filled in by hand at each hand-over; here it is a rendering of the dossier's audit
 * trail, one row per hand-over, with the result of each step as the caller judged it.
 */
export const CONTROL_SHEET_TITLE = 'Phiếu kiểm soát quá trình giải quyết hồ sơ';

const COLUMNS: Column[] = [
  { header: 'STT', weight: 6, align: 'center' },
  { header: 'Giao – Nhận', weight: 30 },
  { header: 'Thời điểm giao', weight: 13, align: 'center' },
  { header: 'Hạn xử lý', weight: 13, align: 'center' },
  { header: 'Hoàn thành', weight: 13, align: 'center' },
  { header: 'Kết quả', weight: 11, align: 'center' },
  { header: 'Ghi chú', weight: 14 },
];

export async function drawControlSheet(doc: Doc, slip: ControlSheetSlipData): Promise<void> {
  const qr = await trackingQr(slip.tracking, slip.dossierCode);
  drawHeader(doc, slip, CONTROL_SHEET_TITLE);
  field(doc, 'Kèm theo hồ sơ của', slip.applicant.name, { bold: true });
  field(doc, 'Nội dung yêu cầu giải quyết', slip.procedureName, { bold: true });
  field(doc, 'Thời gian nhận hồ sơ', dateTimeInWords(slip.receivedAt));
  field(doc, 'Ngày hẹn trả kết quả', dateTimeInWords(slip.dueAt));
  field(doc, 'Cơ quan (bộ phận) giải quyết hồ sơ', slip.leadAgency);
  const partners = (slip.coordinatingAgencies ?? []).filter(present);
  if (partners.length > 0) field(doc, 'Cơ quan phối hợp giải quyết hồ sơ', partners.join('; '));
  doc.moveDown(0.4);
  drawTable(doc, COLUMNS, { fontSize: SIZE.table - 0.5, rows: slip.handovers.map(row) });
  drawTrackingBlock(doc, slip, qr);
}

function row(handover: Handover, index: number): string[] {
  return [
    String(index + 1),
    `Giao: ${party(handover.from)}\nNhận: ${party(handover.to)}`,
    shortDateTime(handover.handedOverAt),
    handover.dueAt ? shortDateTime(handover.dueAt) : '',
    handover.completedAt ? shortDateTime(handover.completedAt) : '',
    handover.result ? timelinessLabel(handover.result) : '',
    present(handover.note) ? handover.note : '',
  ];
}

function party(p: HandoverParty): string {
  return present(p.person) ? `${p.unit} – ${p.person}` : p.unit;
}
