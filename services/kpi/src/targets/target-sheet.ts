import { AgencyCode } from '@tthc/contracts';
import type { SheetRow } from '../sheets/read-sheet';
import { Comparator } from './target';
import type { TargetRow } from './targets.commands';

/** The target sheet's columns: English API names or the Vietnamese headers people write. */
export const TARGET_COLUMNS: Record<string, string> = {
  agencyCode: 'agencyCode',
  'mã cơ quan': 'agencyCode',
  year: 'year',
  năm: 'year',
  indicator: 'indicator',
  'chỉ số': 'indicator',
  comparator: 'comparator',
  'so sánh': 'comparator',
  value: 'value',
  'giá trị': 'value',
  note: 'note',
  'ghi chú': 'note',
};

const COMPARATORS: Record<string, string> = {
  '>=': 'at_least',
  '≥': 'at_least',
  '<=': 'at_most',
  '≤': 'at_most',
  '=': 'equal',
};

/** Reads one sheet row into a target, or the problems of each cell that does not read. */
export function targetFromRow(r: SheetRow, defaultYear: number | undefined): TargetRow {
  const errors: TargetRow['errors'] = [];
  const c = r.cells;
  const agency = AgencyCode.safeParse(c['agencyCode'] ?? '');
  if (!agency.success)
    errors.push({ column: 'agencyCode', detail: `not an agency code: "${c['agencyCode'] ?? ''}"` });
  const year = c['year'] ? Number(c['year']) : defaultYear;
  if (year === undefined || !Number.isInteger(year) || year < 2000 || year > 2100)
    errors.push({ column: 'year', detail: `not a year: "${c['year'] ?? ''}"` });
  const indicator = c['indicator'] ?? '';
  if (!indicator) errors.push({ column: 'indicator', detail: 'the indicator is missing' });
  const rawComparator = c['comparator'] ?? '';
  const comparator = Comparator.safeParse(COMPARATORS[rawComparator] ?? rawComparator);
  if (!comparator.success)
    errors.push({
      column: 'comparator',
      detail: `not at_least, at_most, equal, >=, <= or =: "${rawComparator}"`,
    });
  const value = Number((c['value'] ?? '').replace(',', '.').replace('%', ''));
  if (!c['value'] || !Number.isFinite(value))
    errors.push({ column: 'value', detail: `not a number: "${c['value'] ?? ''}"` });
  if (errors.length > 0) return { row: r.row, input: null, errors };
  return {
    row: r.row,
    errors,
    input: {
      agencyCode: agency.data as string,
      year: year as number,
      indicator,
      comparator: comparator.data as Comparator,
      value,
      note: c['note'] || null,
    },
  };
}
