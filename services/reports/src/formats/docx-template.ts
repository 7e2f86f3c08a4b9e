import JSZip from 'jszip';
import { patchDetector, patchDocument, PatchType, TextRun } from 'docx';
import type { ReportDocument } from '../domain/document';
import { bodyBlocks } from './docx.format';
import { placeAndDate } from './layout';

/** The placeholders a department's DOCX template must hold (written {{name}} in its text). */
export const REQUIRED_PLACEHOLDERS = ['issuer', 'title', 'subtitle', 'body'] as const;
/** Placeholders a template may hold besides. */
export const OPTIONAL_PLACEHOLDERS = ['placeAndDate', 'period', 'version'] as const;

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const MAX_TEMPLATE_BYTES = 5 * 1024 * 1024;

/** Why a template cannot be used: not a DOCX, or placeholders it lacks. */
export class TemplateRefused extends Error {
  constructor(
    readonly code: 'invalid_docx' | 'template_placeholders_missing',
    detail: string,
    readonly missing: readonly string[] = [],
  ) {
    super(detail);
  }
}

/**
 * Checks an uploaded template: a Word document (an OPC zip package with [Content_Types].xml and
 * word/document.xml) holding every required placeholder; answers the placeholders found.
 */
export async function checkDocxTemplate(bytes: Buffer): Promise<string[]> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw new TemplateRefused('invalid_docx', 'the file is not a DOCX document (not a ZIP package)');
  }
  for (const part of ['[Content_Types].xml', 'word/document.xml'])
    if (!zip.file(part))
      throw new TemplateRefused('invalid_docx', `the file is not a DOCX document (it has no ${part})`);
  let found: string[];
  try {
    found = [...(await patchDetector({ data: bytes }))];
  } catch (err) {
    throw new TemplateRefused('invalid_docx', `the document could not be read: ${(err as Error).message}`);
  }
  const missing = REQUIRED_PLACEHOLDERS.filter((p) => !found.includes(p));
  if (missing.length > 0)
    throw new TemplateRefused(
      'template_placeholders_missing',
      `the template lacks ${missing.map((m) => `{{${m}}}`).join(', ')}`,
      missing,
    );
  return [...new Set(found)].sort();
}

const text = (t: string, o: { bold?: boolean } = {}) => ({
  type: PatchType.PARAGRAPH,
  children: [new TextRun({ text: t, ...(o.bold ? { bold: true } : {}) })],
});

/**
 * A report in a department's template: the placeholders replaced in place (the run keeps the
 * template's font and size), {{body}} by the numbered sections and the attached tables.
 */
export async function renderDocxFromTemplate(template: Buffer, doc: ReportDocument): Promise<Buffer> {
  const out = await patchDocument({
    outputType: 'nodebuffer',
    data: template,
    keepOriginalStyles: true,
    patches: {
      issuer: text(doc.issuer.toUpperCase(), { bold: true }),
      title: text(doc.title, { bold: true }),
      subtitle: text(doc.subtitle),
      placeAndDate: text(placeAndDate(doc)),
      period: text(doc.period.label),
      version: text(String(doc.version)),
      body: { type: PatchType.DOCUMENT, children: bodyBlocks(doc) },
    },
  });
  return Buffer.from(out);
}
