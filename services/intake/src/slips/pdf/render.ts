import { drawApology, APOLOGY_TITLE } from './apology.slip';
import { drawControlSheet, CONTROL_SHEET_TITLE } from './control-sheet.slip';
import { type Doc, renderDocument } from './layout';
import { drawReceipt, RECEIPT_TITLE } from './receipt.slip';
import { drawRefusal, REFUSAL_TITLE } from './refusal.slip';
import type { SlipData, SlipKind } from '../slip-data';
import { drawSupplementRequest, SUPPLEMENT_REQUEST_TITLE } from './supplement-request.slip';

/**
 * Printable slips of the one-stop desk (Thông tư 01/2018/TT-VPCP, Phụ lục, Mẫu số 01–05) as A5
 * PDFs. Pure rendering: data in, bytes out; the only files read are the DejaVu fonts.
 */

export type * from '../slip-data';

/** The printed title of each kind of slip. */
export const SLIP_TITLES: Record<SlipKind, string> = {
  receipt: RECEIPT_TITLE,
  supplement_request: SUPPLEMENT_REQUEST_TITLE,
  refusal: REFUSAL_TITLE,
  apology: APOLOGY_TITLE,
  control_sheet: CONTROL_SHEET_TITLE,
};

export async function renderSlip(data: SlipData): Promise<Buffer> {
  const meta = {
    title: `${SLIP_TITLES[data.kind]} – ${data.dossierCode}`,
    author: data.issuer.nameInText,
    createdAt: data.issuedAt,
    dossierCode: data.dossierCode,
  };
  return renderDocument(meta, (doc) => draw(doc, data));
}

async function draw(doc: Doc, data: SlipData): Promise<void> {
  switch (data.kind) {
    case 'receipt':
      return drawReceipt(doc, data);
    case 'supplement_request':
      return drawSupplementRequest(doc, data);
    case 'refusal':
      return drawRefusal(doc, data);
    case 'apology':
      return drawApology(doc, data);
    case 'control_sheet':
      return drawControlSheet(doc, data);
  }
}
