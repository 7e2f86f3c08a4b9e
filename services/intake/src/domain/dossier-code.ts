import { randomBytes } from 'node:crypto';
import { vnDate } from '@tthc/calendar';

/**
 * Dossier code: receiving agency code, receipt date YYMMDD, and a 4-digit serial that restarts
 * each day per agency, e.g. `000.00.17.H55-250714-0001` (Thông tư 01/2018/TT-VPCP, Art. 9).
 */
export function dossierCode(agencyCode: string, receivedAt: Date, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1)
    throw new RangeError(`serial must be a positive integer: ${serial}`);
  const [y, m, d] = vnDate(receivedAt).split('-');
  return `${agencyCode}-${(y ?? '').slice(2)}${m}${d}-${String(serial).padStart(4, '0')}`;
}

const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford: no I, L, O, U to misread

/**
 * The provisional reference of a submission not yet accepted (Thông tư 01/2018/TT-VPCP: the
 * dossier code, with its receipt date and serial, is issued when the desk receives it):
 * `P-YYMMDD-` and eight unguessable characters, e.g. `P-261123-7K3F9Q2X`. It stays a valid
 * way to find the dossier after the code is issued.
 */
export function provisionalReference(submittedAt: Date): string {
  const [y, m, d] = vnDate(submittedAt).split('-');
  const bytes = randomBytes(8);
  const tail = [...bytes].map((b) => BASE32[b % 32]).join('');
  return `P-${(y ?? '').slice(2)}${m}${d}-${tail}`;
}
