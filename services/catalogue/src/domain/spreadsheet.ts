/**
 * The spreadsheet a department keeps of its catalogue: one row per procedure, Vietnamese
 * headers, lists written one item per line inside a cell and the parts of an item separated
 * by " | ". The same layout serves XLSX and CSV, for import and export.
 */
import type { FileProcedure } from './catalogue-file';

export const COLUMNS = [
  ['code', 'Mã TTHC'],
  ['name', 'Tên TTHC'],
  ['fieldCode', 'Mã lĩnh vực'],
  ['decidingAgencyCode', 'Cơ quan quyết định'],
  ['receivingAgencyCode', 'Cơ quan tiếp nhận'],
  ['authorityLevel', 'Cấp thực hiện'],
  ['onlineLevel', 'Mức độ DVCTT'],
  ['legacyLevel', 'Mức độ (cũ)'],
  ['methods', 'Cách thức thực hiện (kênh | thời hạn | đơn vị | phí: số tiền; ... | ghi chú)'],
  ['steps', 'Trình tự thực hiện'],
  ['components', 'Thành phần hồ sơ ([trường hợp] tên | bản chính | bản sao | mẫu)'],
  ['conditions', 'Yêu cầu, điều kiện'],
  ['result', 'Kết quả'],
  ['resultIsPaper', 'Kết quả bản giấy'],
  ['applicantTypes', 'Đối tượng thực hiện'],
  ['legalBasis', 'Căn cứ pháp lý (số | tên | ngày ban hành | ngày hiệu lực)'],
  ['interAgency', 'Liên thông (Tuần tự/Song song; thứ tự | cơ quan | nhiệm vụ | thời hạn | đơn vị)'],
  ['decisionNumber', 'Số quyết định công bố'],
  ['signedOn', 'Ngày ký'],
  ['effectiveFrom', 'Ngày hiệu lực'],
  ['nationalPublishedOn', 'Ngày công khai trên CSDLQG'],
  // Added last so that the columns of sheets made before it keep their places.
  ['onlinePayment', 'Thanh toán phí trực tuyến'],
] as const;
export type ColumnKey = (typeof COLUMNS)[number][0];
export type SheetRow = Partial<Record<ColumnKey, string>>;

const label = <T extends string>(pairs: Record<T, string>) => ({
  out: pairs,
  in: (v: string): T | string => {
    const key = (Object.keys(pairs) as T[]).find(
      (k) => pairs[k].toLowerCase() === v.trim().toLowerCase() || k === v.trim(),
    );
    return key ?? v.trim();
  },
});
const levels = label({ province: 'Tỉnh', district: 'Huyện', commune: 'Xã' });
const online = label({ full: 'Toàn trình', partial: 'Một phần', none: 'Không' });
const channels = label({ direct: 'Trực tiếp', postal: 'Bưu chính', online: 'Trực tuyến' });
const units = label({
  working_days: 'ngày làm việc',
  working_hours: 'giờ làm việc',
  days: 'ngày',
  months: 'tháng',
});
const applicants = label({ person: 'Công dân', organisation: 'Tổ chức' });
const modes = label({ sequential: 'Tuần tự', parallel: 'Song song' });
const yesNo = label({ yes: 'Có', no: 'Không' });

const lines = (cell: string | undefined) =>
  (cell ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const parts = (line: string) => line.split('|').map((p) => p.trim());
const num = (v: string | undefined) =>
  v === undefined || v === ''
    ? undefined
    : /^-?\d+$/.test(v.replace(/[.,\s]/g, ''))
      ? Number(v.replace(/[.,\s]/g, ''))
      : v;
const orNull = (v: string | undefined) => (v === undefined || v === '' ? null : v);
/** Có/Không (or yes/no) to a boolean; an empty cell is false; anything else is left for the importer to refuse. */
const yesOrNo = (v: string | undefined): boolean | string => {
  const answer = yesNo.in(v?.trim() || 'no');
  return answer === 'yes' ? true : answer === 'no' ? false : answer;
};

/** A spreadsheet row to the import record (left unvalidated: the importer validates and names errors). */
export function rowToProcedure(row: SheetRow): Record<string, unknown> {
  const inter = lines(row.interAgency);
  const decision = row.decisionNumber?.trim();
  return {
    code: row.code?.trim() ?? '',
    name: row.name ?? '',
    fieldCode: row.fieldCode?.trim() ?? '',
    decidingAgencyCode: row.decidingAgencyCode?.trim() ?? '',
    receivingAgencyCode: row.receivingAgencyCode?.trim() ?? '',
    authorityLevel: levels.in(row.authorityLevel ?? ''),
    onlineLevel: online.in(row.onlineLevel ?? ''),
    legacyLevel: num(row.legacyLevel?.trim()) ?? null,
    methods: lines(row.methods).map((l) => {
      const [channel = '', value, unit = '', fees = '', note = ''] = parts(l);
      return {
        channel: channels.in(channel),
        processingTime: { value: num(value), unit: units.in(unit) },
        fees: fees
          .split(';')
          .map((f) => f.trim())
          .filter(Boolean)
          .map((f) => {
            const i = f.lastIndexOf(':');
            return {
              name: (i < 0 ? f : f.slice(0, i)).trim(),
              amount: num(i < 0 ? '' : f.slice(i + 1).trim()),
            };
          }),
        note: orNull(note),
      };
    }),
    steps: lines(row.steps),
    components: lines(row.components).map((l) => {
      const m = /^\[([^\]]*)\]\s*(.*)$/.exec(l);
      const [name = '', originals, copies, form] = parts(m ? (m[2] ?? '') : l);
      return {
        case: m ? (m[1] ?? '').trim() || null : null,
        name,
        originals: num(originals) ?? 0,
        copies: num(copies) ?? 0,
        formTemplate: orNull(form),
      };
    }),
    conditions: lines(row.conditions),
    result: row.result?.trim()
      ? { name: row.result.trim(), isPaperDocument: yesNo.in(row.resultIsPaper ?? 'Có') !== 'no' }
      : null,
    // An empty cell, or a sheet without the column, means no online payment (the default).
    onlinePayment: yesOrNo(row.onlinePayment),
    applicantTypes: (row.applicantTypes ?? '')
      .split(/[;,\n]/)
      .map((a) => a.trim())
      .filter(Boolean)
      .map((a) => applicants.in(a)),
    legalBasis: lines(row.legalBasis).map((l) => {
      const [number = '', title = '', issuedOn, effectiveFrom] = parts(l);
      return { number, title, issuedOn: orNull(issuedOn), effectiveFrom: orNull(effectiveFrom) };
    }),
    interAgency:
      inter.length === 0
        ? null
        : {
            mode: modes.in(inter[0] ?? ''),
            participants: inter.slice(1).map((l) => {
              const [order, agencyCode = '', task = '', value, unit = ''] = parts(l);
              return {
                order: num(order),
                agencyCode,
                task,
                processingTime: { value: num(value), unit: units.in(unit) },
              };
            }),
          },
    publication: decision
      ? {
          decisionNumber: decision,
          signedOn: row.signedOn?.trim() ?? '',
          effectiveFrom: row.effectiveFrom?.trim() ?? '',
          nationalPublishedOn: orNull(row.nationalPublishedOn?.trim()),
        }
      : null,
  };
}

/** An import record (as exported) to a spreadsheet row. */
export function procedureToRow(p: FileProcedure): Record<ColumnKey, string> {
  return {
    code: p.code,
    name: p.name,
    fieldCode: p.fieldCode,
    decidingAgencyCode: p.decidingAgencyCode,
    receivingAgencyCode: p.receivingAgencyCode,
    authorityLevel: levels.out[p.authorityLevel],
    onlineLevel: online.out[p.onlineLevel],
    legacyLevel: p.legacyLevel === null ? '' : String(p.legacyLevel),
    methods: p.methods
      .map((m) =>
        [
          channels.out[m.channel],
          String(m.processingTime.value),
          units.out[m.processingTime.unit],
          m.fees.map((f) => `${f.name}: ${f.amount}`).join('; '),
          m.note ?? '',
        ].join(' | '),
      )
      .join('\n'),
    steps: p.steps.join('\n'),
    components: p.components
      .map(
        (c) =>
          `${c.case ? `[${c.case}] ` : ''}${[c.name, String(c.originals), String(c.copies), c.formTemplate ?? ''].join(' | ')}`,
      )
      .join('\n'),
    conditions: p.conditions.join('\n'),
    result: p.result?.name ?? '',
    resultIsPaper: p.result ? (p.result.isPaperDocument ? 'Có' : 'Không') : '',
    onlinePayment: p.onlinePayment ? yesNo.out.yes : yesNo.out.no,
    applicantTypes: p.applicantTypes.map((a) => applicants.out[a]).join('; '),
    legalBasis: p.legalBasis
      .map((l) => [l.number, l.title, l.issuedOn ?? '', l.effectiveFrom ?? ''].join(' | '))
      .join('\n'),
    interAgency: p.interAgency
      ? [
          modes.out[p.interAgency.mode],
          ...p.interAgency.participants.map((x) =>
            [
              String(x.order),
              x.agencyCode,
              x.task,
              String(x.processingTime.value),
              units.out[x.processingTime.unit],
            ].join(' | '),
          ),
        ].join('\n')
      : '',
    decisionNumber: p.publication?.decisionNumber ?? '',
    signedOn: p.publication?.signedOn ?? '',
    effectiveFrom: p.publication?.effectiveFrom ?? '',
    nationalPublishedOn: p.publication?.nationalPublishedOn ?? '',
  };
}

/** The spreadsheet column an import error's path points at (`methods.0.fees.0.amount` → Cách thức thực hiện). */
export function columnOf(path: string): string {
  const head = path.split('.')[0] ?? '';
  const key: ColumnKey | undefined =
    head === 'publication'
      ? ((
          {
            decisionNumber: 'decisionNumber',
            signedOn: 'signedOn',
            effectiveFrom: 'effectiveFrom',
            nationalPublishedOn: 'nationalPublishedOn',
          } as const
        )[path.split('.')[1] as 'decisionNumber'] ?? 'decisionNumber')
      : head === 'result'
        ? 'result'
        : (COLUMNS.find(([k]) => k === head)?.[0] as ColumnKey | undefined);
  return key ? (COLUMNS.find(([k]) => k === key)?.[1] ?? path) : path;
}

export function headerKey(header: string): ColumnKey | undefined {
  const h = header.trim().toLowerCase();
  return COLUMNS.find(
    ([k, label]) =>
      label.toLowerCase() === h || k.toLowerCase() === h || label.toLowerCase().split(' (')[0] === h,
  )?.[0];
}
