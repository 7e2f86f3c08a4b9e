import { vnDate } from '@tthc/calendar';

/**
 * Dossier code: receiving agency code, receipt date YYMMDD, and a 4-digit serial that restarts
 * each day per agency, e.g. `000.00.17.H55-250714-0001` (Thông tư 01/2018/TT-VPCP, Art. 9).
 */
export function dossierCode(agencyCode: string, receivedAt: Date, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`serial must be a positive integer: ${serial}`);
  const [y, m, d] = vnDate(receivedAt).split('-');
  return `${agencyCode}-${(y ?? '').slice(2)}${m}${d}-${String(serial).padStart(4, '0')}`;
}
