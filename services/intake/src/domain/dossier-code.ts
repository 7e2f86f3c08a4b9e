import { randomBytes } from 'node:crypto';
import { vnDate } from '@tthc/calendar';

/** Digits of the day's serial in a dossier code (more only past 9999 receipts in a day). */
export const SERIAL_WIDTH = 4;

/**
 * Dossier code: receiving agency code, receipt date YYMMDD, and a 4-digit serial that restarts
 * each day per agency, e.g. `000.00.17.H55-250714-0001` (Thông tư 01/2018/TT-VPCP, Art. 9).
 */
export function dossierCode(agencyCode: string, receivedAt: Date, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1)
    throw new RangeError(`serial must be a positive integer: ${serial}`);
  return `${dossierCodePrefix(agencyCode, receivedAt)}${String(serial).padStart(SERIAL_WIDTH, '0')}`;
}

/**
 * The code without its serial: a receipt writes it with the serial the database allocates in
 * the receipt's last statement (db/receipt.repository.ts pads the serial as dossierCode does).
 */
export function dossierCodePrefix(agencyCode: string, receivedAt: Date): string {
  const [y, m, d] = vnDate(receivedAt).split('-');
  return `${agencyCode}-${(y ?? '').slice(2)}${m}${d}-`;
}

/** What stands for the code in what a receipt writes until the statement allocates the serial. */
export function pendingCode(agencyCode: string, receivedAt: Date): string {
  return `${dossierCodePrefix(agencyCode, receivedAt)}${'0'.repeat(SERIAL_WIDTH)}`;
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
