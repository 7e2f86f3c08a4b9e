import { z } from 'zod';
import type { ReportDocument } from '../domain/document';
import { renderCsv } from './csv.format';
import { renderDocx } from './docx.format';
import { renderPdf } from './pdf.format';
import { renderXlsx } from './xlsx.format';

export const FORMATS = ['json', 'csv', 'xlsx', 'docx', 'pdf'] as const;
export const ReportFormat = z.enum(FORMATS);
export type ReportFormat = z.infer<typeof ReportFormat>;

/** The files a report can hold: its formats, and the detail appendix some kinds add. */
export const FILE_FORMATS = [...FORMATS, 'appendix-xlsx'] as const;
export const FileFormat = z.enum(FILE_FORMATS);
export type FileFormat = z.infer<typeof FileFormat>;
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Each format: its media type, its file extension and its renderer. */
export const formats: Record<
  ReportFormat,
  { contentType: string; extension: string; render: (doc: ReportDocument) => Promise<Buffer> | Buffer }
> = {
  json: {
    contentType: 'application/json; charset=utf-8',
    extension: 'json',
    render: (doc) => Buffer.from(JSON.stringify(doc, null, 2), 'utf8'),
  },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv', render: renderCsv },
  xlsx: {
    contentType: XLSX_CONTENT_TYPE,
    extension: 'xlsx',
    render: renderXlsx,
  },
  docx: {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
    render: renderDocx,
  },
  pdf: { contentType: 'application/pdf', extension: 'pdf', render: renderPdf },
};
