import type { ReportDocument } from '../domain/document';

export const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];

/** "…, ngày 05 tháng 04 năm 2026": the date line under the motto, the day the figures were cut. */
export function placeAndDate(doc: ReportDocument): string {
  const d = new Date(new Date(doc.dataCutAt).getTime() + 7 * 3600_000);
  const dd = String(d.getUTCDate()).padStart(2, '0');
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  return `…, ngày ${dd} tháng ${mm} năm ${d.getUTCFullYear()}`;
}
