import type { Channel, DossierStatus } from '@tthc/contracts';
import type { NationalMapping } from './mapping';

/**
 * What the national portal shows of a dossier at one version (receipt, status, channel, dates,
 * result and e-result link, online payment, digitized and reused components), in our own terms.
 * A push carries the whole record, so a lost push is made good by any later one.
 */
export interface NationalRecord {
  code: string;
  procedureCode: string;
  status: DossierStatus;
  channel: Channel;
  agencyCode: string;
  receivedAt: string | null;
  dueAt: string | null;
  endedAt: string | null;
  resultNumber: string | null;
  eResultUrl: string | null;
  paidOnline: boolean;
  components: { total: number; digitized: number; reused: number };
  version: number;
  updatedAt: string;
}

/** A record the mapping cannot express (an unknown code): pushing it again will not help until the mapping is edited. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

const VN_OFFSET_MS = 7 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as the mapping's date format writes it (yyyyMMddHHmmss in Việt Nam time, no offset). */
export function nationalDate(iso: string | null, format: NationalMapping['dateFormat']): string | null {
  if (iso === null) return null;
  if (format === 'iso') return new Date(iso).toISOString();
  const d = new Date(new Date(iso).getTime() + VN_OFFSET_MS);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** Reads a date the national side wrote back (the query), in either format. */
export function parseNationalDate(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (m) {
    const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
    return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - VN_OFFSET_MS);
  }
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

/** The national agency code of one of ours, by the mapping. */
export function nationalAgency(m: NationalMapping, agencyCode: string): string {
  const mapped = m.agencies[agencyCode];
  if (mapped !== undefined) return mapped;
  if (m.unmappedAgency === 'refuse')
    throw new MappingError(`agency ${agencyCode} has no national code in the mapping`);
  return agencyCode;
}

/** The body of one push: the record under the national member names and codes. */
export function toNationalBody(r: NationalRecord, m: NationalMapping): Record<string, unknown> {
  const status = m.statuses[r.status];
  if (status === undefined) throw new MappingError(`status ${r.status} has no national code in the mapping`);
  const channel = m.channels[r.channel];
  if (channel === undefined)
    throw new MappingError(`channel ${r.channel} has no national code in the mapping`);
  const f = m.fields;
  const date = (v: string | null) => nationalDate(v, m.dateFormat);
  return {
    [f.code]: r.code,
    [f.procedureCode]: r.procedureCode,
    [f.status]: status,
    [f.channel]: channel,
    [f.agency]: nationalAgency(m, r.agencyCode),
    [f.receivedAt]: date(r.receivedAt),
    [f.dueAt]: date(r.dueAt),
    [f.endedAt]: date(r.endedAt),
    [f.resultNumber]: r.resultNumber,
    [f.eResultUrl]: r.eResultUrl,
    [f.paidOnline]: r.paidOnline ? 1 : 0,
    [f.componentsTotal]: r.components.total,
    [f.componentsDigitized]: r.components.digitized,
    [f.componentsReused]: r.components.reused,
    [f.version]: r.version,
    [f.updatedAt]: date(r.updatedAt),
  };
}

/** One dossier as the national query reports it. */
export interface NationalState {
  code: string;
  status: number | null;
  receivedAt: Date | null;
  dueAt: Date | null;
  endedAt: Date | null;
}

/** Reads a record of the query answer by the mapping's member names; null when it names no dossier. */
export function fromNationalRecord(raw: unknown, m: NationalMapping): NationalState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const code = r[m.fields.code];
  if (typeof code !== 'string' || code === '') return null;
  const status = Number(r[m.fields.status]);
  return {
    code,
    status: Number.isInteger(status) ? status : null,
    receivedAt: parseNationalDate(r[m.fields.receivedAt]),
    dueAt: parseNationalDate(r[m.fields.dueAt]),
    endedAt: parseNationalDate(r[m.fields.endedAt]),
  };
}

/** What differs between our record and the national state of one dossier ([] when they agree). */
export function differences(
  ours: NationalRecord,
  theirs: NationalState | undefined,
  m: NationalMapping,
): string[] {
  if (!theirs) return ['missing'];
  const out: string[] = [];
  if (theirs.status !== m.statuses[ours.status]) out.push('status');
  const same = (a: string | null, b: Date | null) =>
    a === null ? b === null : b !== null && Math.abs(new Date(a).getTime() - b.getTime()) < 1000;
  if (!same(ours.receivedAt, theirs.receivedAt)) out.push('receivedAt');
  if (!same(ours.dueAt, theirs.dueAt)) out.push('dueAt');
  if (!same(ours.endedAt, theirs.endedAt)) out.push('endedAt');
  return out;
}
