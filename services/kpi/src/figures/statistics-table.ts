import { brokenTableIdentity } from '@tthc/contracts';
import type { Bag, Measure } from '../domain/measures';
import { sumBags } from '../domain/measures';
import type { GroupKey, Groups } from './groups';

/**
 * The dossier statistics table, Biểu 06 of Thông tư 01/2020/TT-VPCP: rows by authority level
 * then field (and optionally procedure), with totals; columns (3)–(13) of the form. Definitions
 * (domain.md, Reports): received in the period by channel (postal with direct) plus carried over
 * from the previous period; resolved = ended in the period, judged early / on time / late in the
 * legal view (withdrawn and stopped on time); in progress = not ended at the period's end, judged
 * as of the end of its last day.
 */
export const TABLE_COLUMNS = [
  { key: 'received', number: 3, group: 'Số hồ sơ nhận giải quyết', label: 'Tổng số' },
  { key: 'receivedOnline', number: 4, group: 'Số hồ sơ nhận giải quyết', label: 'Trong kỳ: trực tuyến' },
  {
    key: 'receivedDirectPostal',
    number: 5,
    group: 'Số hồ sơ nhận giải quyết',
    label: 'Trong kỳ: trực tiếp, dịch vụ bưu chính',
  },
  { key: 'carriedOver', number: 6, group: 'Số hồ sơ nhận giải quyết', label: 'Từ kỳ trước chuyển qua' },
  { key: 'resolved', number: 7, group: 'Số lượng hồ sơ đã giải quyết', label: 'Tổng số' },
  { key: 'resolvedEarly', number: 8, group: 'Số lượng hồ sơ đã giải quyết', label: 'Trả trước hạn' },
  {
    key: 'resolvedOnTime',
    number: 9,
    group: 'Số lượng hồ sơ đã giải quyết',
    label: 'Trả đúng hạn (bao gồm hồ sơ trả lại, xin rút)',
  },
  { key: 'resolvedLate', number: 10, group: 'Số lượng hồ sơ đã giải quyết', label: 'Trả quá hạn' },
  { key: 'inProgress', number: 11, group: 'Số lượng hồ sơ đang giải quyết', label: 'Tổng số' },
  { key: 'inProgressWithinTime', number: 12, group: 'Số lượng hồ sơ đang giải quyết', label: 'Trong hạn' },
  { key: 'inProgressOverdue', number: 13, group: 'Số lượng hồ sơ đang giải quyết', label: 'Quá hạn' },
] as const;

export type ColumnKey = (typeof TABLE_COLUMNS)[number]['key'];
export type TableFigures = Record<ColumnKey, number>;
export const COLUMN_KEYS: readonly ColumnKey[] = TABLE_COLUMNS.map((c) => c.key);

export const LEVEL_ORDER = ['province', 'district', 'commune', 'unknown'] as const;
export const LEVEL_LABELS: Record<string, string> = {
  province: 'Cấp tỉnh',
  district: 'Cấp huyện',
  commune: 'Cấp xã',
  unknown: 'Chưa rõ cấp',
};

export interface TableRow {
  /** total | level:<level> | field:<level>:<field> | procedure:<level>:<field>:<procedure> (drill-down names a row by it). */
  id: string;
  kind: 'total' | 'level' | 'field' | 'procedure';
  authorityLevel: string | null;
  fieldCode: string | null;
  procedureCode: string | null;
  label: string;
  figures: TableFigures;
}

/**
 * The counters each column sums (legal view). Each dossier counts at most once per column, so a
 * cell's drill-down lists as many dossiers as the cell says.
 */
export const COLUMN_MEASURES: Record<ColumnKey, readonly Measure[]> = {
  received: ['receivedOnline', 'receivedDirectPostal', 'carriedOver'],
  receivedOnline: ['receivedOnline'],
  receivedDirectPostal: ['receivedDirectPostal'],
  carriedOver: ['carriedOver'],
  resolved: ['ended'],
  resolvedEarly: ['legalEarly'],
  resolvedOnTime: ['legalOnTime'],
  resolvedLate: ['legalLate'],
  inProgress: ['inProgress'],
  inProgressWithinTime: ['legalWithin'],
  inProgressOverdue: ['legalOverdue'],
};

export function tableFigures(b: Bag): TableFigures {
  return Object.fromEntries(
    COLUMN_KEYS.map((k) => [k, COLUMN_MEASURES[k].reduce((sum, m) => sum + b[m], 0)]),
  ) as TableFigures;
}

/** A figure breaking one of the form's identities is a bug: the answer must not leave the service. */
export class FigureIdentityError extends Error {
  constructor(
    readonly rowId: string,
    readonly identity: string,
    readonly figures: TableFigures,
  ) {
    super(`statistics row ${rowId} breaks the identity ${identity}`);
  }
}

/** The four identities of Biểu 06 (one rule, in the contracts), checked on every row; every figure must also be a count (≥ 0). */
export function checkIdentities(row: Pick<TableRow, 'id' | 'figures'>): void {
  const broken = brokenTableIdentity(row.figures);
  if (broken) throw new FigureIdentityError(row.id, broken, row.figures);
}

const levelRank = (l: string) => {
  const i = (LEVEL_ORDER as readonly string[]).indexOf(l);
  return i < 0 ? LEVEL_ORDER.length : i;
};

/** Rows by level, then field, then (optionally) procedure, with the total first; identities checked. */
export function buildTable(
  groups: Groups,
  options: { byProcedure: boolean; procedureNames?: ReadonlyMap<string, string> },
): { total: TableRow; rows: TableRow[] } {
  const entries = groups.entries();
  const bagsWhere = (pred: (k: GroupKey) => boolean) =>
    sumBags(entries.filter(([k]) => pred(k)).map(([, b]) => b));
  const levels = [...new Set(entries.map(([k]) => k.authorityLevel))].sort(
    (a, b) => levelRank(a) - levelRank(b) || a.localeCompare(b),
  );
  const rows: TableRow[] = [];
  for (const level of levels) {
    rows.push({
      id: `level:${level}`,
      kind: 'level',
      authorityLevel: level,
      fieldCode: null,
      procedureCode: null,
      label: LEVEL_LABELS[level] ?? level,
      figures: tableFigures(bagsWhere((k) => k.authorityLevel === level)),
    });
    const fields = [
      ...new Set(entries.filter(([k]) => k.authorityLevel === level).map(([k]) => k.fieldCode)),
    ].sort();
    for (const field of fields) {
      const inField = (k: GroupKey) => k.authorityLevel === level && k.fieldCode === field;
      rows.push({
        id: `field:${level}:${field}`,
        kind: 'field',
        authorityLevel: level,
        fieldCode: field,
        procedureCode: null,
        label: field,
        figures: tableFigures(bagsWhere(inField)),
      });
      if (!options.byProcedure) continue;
      const procedures = [
        ...new Set(entries.filter(([k]) => inField(k)).map(([k]) => k.procedureCode)),
      ].sort();
      for (const procedure of procedures) {
        rows.push({
          id: `procedure:${level}:${field}:${procedure}`,
          kind: 'procedure',
          authorityLevel: level,
          fieldCode: field,
          procedureCode: procedure,
          label: options.procedureNames?.get(procedure) ?? procedure,
          figures: tableFigures(bagsWhere((k) => inField(k) && k.procedureCode === procedure)),
        });
      }
    }
  }
  const total: TableRow = {
    id: 'total',
    kind: 'total',
    authorityLevel: null,
    fieldCode: null,
    procedureCode: null,
    label: 'Tổng cộng',
    figures: tableFigures(bagsWhere(() => true)),
  };
  for (const row of [total, ...rows]) checkIdentities(row);
  return { total, rows };
}

/** What a row id selects: the group keys it sums. Undefined for an id no table row could carry. */
/** The dimensions a row id names (a valid one: see rowFilter). */
export function rowDims(id: string): { authorityLevel?: string; fieldCode?: string; procedureCode?: string } {
  if (id === 'total') return {};
  const [, level, field, ...rest] = id.split(':');
  const procedure = rest.join(':');
  return {
    ...(level ? { authorityLevel: level } : {}),
    ...(field ? { fieldCode: field } : {}),
    ...(procedure ? { procedureCode: procedure } : {}),
  };
}

export function rowFilter(
  id: string,
): ((k: Pick<GroupKey, 'authorityLevel' | 'fieldCode' | 'procedureCode'>) => boolean) | undefined {
  if (id === 'total') return () => true;
  const [kind, level, field, ...rest] = id.split(':');
  const procedure = rest.join(':');
  if (kind === 'level' && level && field === undefined) return (k) => k.authorityLevel === level;
  if (kind === 'field' && level && field && !procedure)
    return (k) => k.authorityLevel === level && k.fieldCode === field;
  if (kind === 'procedure' && level && field && procedure)
    return (k) => k.authorityLevel === level && k.fieldCode === field && k.procedureCode === procedure;
  return undefined;
}
