/**
 * Destinations are personal data: every answer shows them masked, and provider errors (which
 * often quote the number or address they refused) are masked before they are stored or logged.
 */

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const LONG_DIGITS = /\+?\d[\d .-]{6,}\d/g;

/** 0912345678 → 09******78. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 6) return '*'.repeat(digits.length);
  return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

/** an@example.vn → a***@example.vn. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** A destination as an answer may show it: phones and e-mails masked, recipient ids as they are. */
export function maskDestination(destination: string): string {
  if (destination.includes('@')) return maskEmail(destination);
  if (/^\+?[\d .-]{6,}$/.test(destination)) return maskPhone(destination);
  return destination;
}

/** An error text with every e-mail address and long number in it masked, and bounded. */
export function sanitizeError(text: string, max = 500): string {
  return text
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`)
    .replace(LONG_DIGITS, (m) => maskPhone(m))
    .slice(0, max);
}
