/**
 * A report's file name: Vietnamese as the report names itself (for the filename* of RFC 6266 /
 * RFC 8187, which every current browser reads), and an ASCII fallback with the diacritics taken
 * off for the plain filename parameter.
 */
export function fileNames(base: string, extension: string): { utf8: string; ascii: string } {
  const clean = base
    .normalize('NFC')
    .replace(/[\\/:*?"<>|]+/g, ' ')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 150);
  const ascii = clean
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9._ -]/g, '')
    .replace(/ /g, '_');
  return { utf8: `${clean}.${extension}`, ascii: `${ascii}.${extension}` };
}

/** Content-Disposition with both names (RFC 6266 §4.3, RFC 8187 encoding). */
export function contentDisposition(utf8Name: string, ascii: string): string {
  const encoded = encodeURIComponent(utf8Name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
