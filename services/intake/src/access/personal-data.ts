import type { Identity } from '@tthc/contracts';

/** Roles that handle dossiers and feedback and so may see a person's full contact details. */
const HANDLERS = new Set(['desk_officer', 'processing_officer', 'leader', 'admin']);

/** Whether the caller sees an applicant's or a sender's contact details (each such read is logged). */
export function seesPersonalData(identity: Identity | null): boolean {
  return identity !== null && identity.roles.some((r) => HANDLERS.has(r));
}

/** 09******78, a***@example.vn, 0010******45: enough to recognise, not to use. */
export function mask(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) return `${value[0]}***${value.slice(at)}`;
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${value.slice(0, 2)}${'*'.repeat(Math.max(2, value.length - 4))}${value.slice(-2)}`;
}
