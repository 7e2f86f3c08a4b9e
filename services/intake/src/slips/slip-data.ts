import type { Timeliness } from '@tthc/calendar';
import type { ProcessingTime } from '@tthc/contracts';

/**
 * What the one-stop desk prints, one kind per form of the Phụ lục to Thông tư 01/2018/TT-VPCP:
 * receipt = Mẫu số 01, supplement_request = Mẫu số 02, refusal = Mẫu số 03, apology = Mẫu số 04,
 * control_sheet = Mẫu số 05. All text is Vietnamese, already NFC; instants are printed in
 * Asia/Ho_Chi_Minh. An optional field that is absent (or blank) is left out of the slip, never
 * printed as a placeholder.
 */
export type SlipKind = 'receipt' | 'supplement_request' | 'refusal' | 'apology' | 'control_sheet';

/** The issuing body, top left of every slip. */
export interface SlipIssuer {
  /** The governing body, printed in capitals: "UBND TỈNH QUẢNG NAM". */
  parent: string;
  /** The desk or agency, printed in bold capitals: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "SỞ Y TẾ". */
  name: string;
  /** The same body as running text names it: "Trung tâm Phục vụ hành chính công tỉnh Quảng Nam". */
  nameInText: string;
}

export interface Applicant {
  /** A person ("Nguyễn Thị Hồng Nhung") or an organisation ("Công ty TNHH Dược phẩm An Khang"). */
  name: string;
  address?: string;
  phone?: string;
  email?: string;
}

/** An officer who signs the slip or whom the applicant may contact. */
export interface Officer {
  name: string;
  /** "Chuyên viên", "Phó Giám đốc"; printed with the name where the form names the officer. */
  position?: string;
  phone?: string;
}

/** Fields every slip carries: the header block and the dossier it is about. */
export interface SlipCommon {
  issuer: SlipIssuer;
  /** Place in the date line: "Quảng Nam" gives "Quảng Nam, ngày 23 tháng 11 năm 2026". */
  place: string;
  /** When the slip is issued: the date line and the PDF's creation date. */
  issuedAt: Date;
  /** The slip's own number ("Số: 125/GTN-TTPVHCC") when the desk numbers its slips. */
  documentNumber?: string;
  /** Dossier code, such as 000.00.17.H55-261123-0001. */
  dossierCode: string;
  applicant: Applicant;
  /** The procedure applied for (nội dung yêu cầu giải quyết). */
  procedureName: string;
}

/** One submitted document of the dossier and how many originals and copies were handed in. */
export interface ReceivedComponent {
  name: string;
  originals: number;
  copies: number;
}

/** Where the applicant registered to collect the result. */
export type ResultDelivery =
  { method: 'desk'; place: string } | { method: 'postal'; address: string } | { method: 'online' };

/** Where the applicant follows the dossier: printed, and encoded in the slip's QR code. */
export interface Tracking {
  /** The portal where the dossier can be looked up by its code: "Cổng Dịch vụ công tỉnh Quảng Nam". */
  portal: string;
  /** The tracking link, encoded in the QR code; without it the QR code encodes the dossier code. */
  url?: string;
}

/** Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export interface ReceiptSlipData extends SlipCommon {
  kind: 'receipt';
  components: ReceivedComponent[];
  /** Number of dossier sets (bộ); 1 when absent. */
  sets?: number;
  /** Processing time by regulation, printed as "15 ngày làm việc". */
  processingTime?: ProcessingTime;
  receivedAt: Date;
  dueAt: Date;
  resultDelivery: ResultDelivery;
  officer: Officer;
  tracking: Tracking;
  /** The desk's register (sổ theo dõi hồ sơ): volume and entry number. */
  register?: { volume: string; entry: string };
}

/** One thing to add or correct, and why (a complete list, asked once). */
export interface SupplementItem {
  content: string;
  reason: string;
}

/** Mẫu số 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export interface SupplementRequestSlipData extends SlipCommon {
  kind: 'supplement_request';
  items: SupplementItem[];
  /** The date by which the applicant should send the supplement, when one is set. */
  deadline?: Date;
  /** The officer who guides the applicant and signs; the contact for questions. */
  officer: Officer;
}

/** Mẫu số 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export interface RefusalSlipData extends SlipCommon {
  kind: 'refusal';
  reason: string;
  officer: Officer;
}

/** Mẫu số 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả. */
export interface ApologySlipData extends SlipCommon {
  kind: 'apology';
  receivedAt: Date;
  /** The due date on the receipt; the dossier is still judged late against it. */
  originalDueAt: Date;
  newDueAt: Date;
  /** Why the result is late. */
  reason: string;
  /** The head of the agency (or the deputy signing for them). */
  signer: { name: string; position: string };
  tracking: Tracking;
}

/** A unit and, when known, the person in it. */
export interface HandoverParty {
  unit: string;
  person?: string;
}

/** One hand-over of the dossier, as recorded in its audit trail. */
export interface Handover {
  from: HandoverParty;
  to: HandoverParty;
  handedOverAt: Date;
  /** The receiving unit's deadline for its step. */
  dueAt?: Date;
  completedAt?: Date;
  /** Judged by the caller (domain.md, "Timeliness"); empty while the step is open. */
  result?: Timeliness;
  note?: string;
}

/** Mẫu số 05: Phiếu kiểm soát quá trình giải quyết hồ sơ. */
export interface ControlSheetSlipData extends SlipCommon {
  kind: 'control_sheet';
  receivedAt: Date;
  dueAt: Date;
  /** Cơ quan (bộ phận) giải quyết hồ sơ. */
  leadAgency: string;
  /** Cơ quan phối hợp giải quyết hồ sơ (inter-agency dossiers). */
  coordinatingAgencies?: string[];
  handovers: Handover[];
  tracking: Tracking;
}

export type SlipData =
  ReceiptSlipData | SupplementRequestSlipData | RefusalSlipData | ApologySlipData | ControlSheetSlipData;

// Fails to compile when SlipKind and the kinds of the SlipData union drift apart.
type Assert<T extends true> = T;
type _KindsMatch = Assert<
  [SlipKind] extends [SlipData['kind']] ? ([SlipData['kind']] extends [SlipKind] ? true : false) : false
>;
