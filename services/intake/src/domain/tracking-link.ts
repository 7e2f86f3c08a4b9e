/**
 * The link where a citizen follows a dossier: the portal's tracking page (a configured base URL)
 * plus the dossier code. Printed on the slips (and in their QR codes) and sent in messages.
 */
export function trackingUrl(base: string | undefined, code: string): string | undefined {
  return base ? `${base.replace(/\/$/, '')}/${encodeURIComponent(code)}` : undefined;
}
