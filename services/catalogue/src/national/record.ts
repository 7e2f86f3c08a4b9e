import type { Channel, TimeUnit } from '@tthc/contracts';
import { Decision, NationalCode, ProcedureContent } from '../domain/procedure';
import type { NationalMapping, NationalNames } from './mapping';

/** One thing wrong with a national record: where (in the national record's own names) and why. */
export interface RecordIssue {
  path: string;
  reason: string;
}

/** A national record read into the catalogue's terms. */
export interface NationalProcedure {
  code: string;
  content: ProcedureContent;
  /** The decision that published (or, for an abolished record, abolished) it. */
  decision: Decision | null;
  status: 'in_force' | 'abolished';
}

export type ReadResult =
  { ok: true; value: NationalProcedure } | { ok: false; code: string | null; issues: RecordIssue[] };

/** What the reader asks the catalogue: the fields and agencies it holds. */
export interface CatalogueLookup {
  fieldCode: (code: string) => Promise<boolean>;
  fieldByName: (name: string) => Promise<string | undefined>;
  agency: (code: string) => Promise<boolean>;
}

type Obj = Record<string, unknown>;
type Key = Exclude<keyof NationalNames, 'records'>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const nfc = (s: string) => s.normalize('NFC').trim();

/** Reads values by the mapping's names, collecting every issue with its national path. */
class Reader {
  readonly issues: RecordIssue[] = [];
  constructor(private readonly names: NationalNames) {}

  name(key: Key): string {
    return this.names[key];
  }

  issue(path: string, reason: string): void {
    this.issues.push({ path, reason });
  }

  private at(parent: Obj, key: Key, path: string): { value: unknown; path: string } {
    const n = this.names[key];
    return { value: parent[n], path: path ? `${path}.${n}` : n };
  }

  /** A list (a single object counts as a list of one; absent or null is empty unless required). */
  list(parent: Obj, key: Key, path: string, required = false): { item: unknown; path: string }[] {
    const { value, path: p } = this.at(parent, key, path);
    if (value === undefined || value === null || value === '') {
      if (required) this.issue(p, 'required');
      return [];
    }
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, i) => ({ item, path: Array.isArray(value) ? `${p}[${i}]` : p }));
  }

  objects(parent: Obj, key: Key, path: string, required = false): { o: Obj; path: string }[] {
    const out: { o: Obj; path: string }[] = [];
    for (const { item, path: p } of this.list(parent, key, path, required)) {
      if (isObj(item)) out.push({ o: item, path: p });
      else this.issue(p, 'must be an object');
    }
    return out;
  }

  object(parent: Obj, key: Key, path: string): { o: Obj; path: string } | null {
    const { value, path: p } = this.at(parent, key, path);
    if (value === undefined || value === null) return null;
    if (!isObj(value)) {
      this.issue(p, 'must be an object');
      return null;
    }
    return { o: value, path: p };
  }

  text(parent: Obj, key: Key, path: string, required = false): string | null {
    const { value, path: p } = this.at(parent, key, path);
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (required) this.issue(p, 'required');
      return null;
    }
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') {
      this.issue(p, 'must be text');
      return null;
    }
    return nfc(value);
  }

  int(
    parent: Obj,
    key: Key,
    path: string,
    opts: { required?: boolean; min?: number; max?: number } = {},
  ): number | null {
    const { value, path: p } = this.at(parent, key, path);
    if (value === undefined || value === null || value === '') {
      if (opts.required) this.issue(p, 'required');
      return null;
    }
    const n = typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      this.issue(p, 'must be a whole number');
      return null;
    }
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      this.issue(p, `must be between ${opts.min ?? '-∞'} and ${opts.max ?? '∞'}`);
      return null;
    }
    return n;
  }

  bool(parent: Obj, key: Key, path: string): boolean | null {
    const { value, path: p } = this.at(parent, key, path);
    if (value === undefined || value === null || value === '') return null;
    if (typeof value === 'boolean') return value;
    if (value === 1 || value === '1' || value === 'true') return true;
    if (value === 0 || value === '0' || value === 'false') return false;
    this.issue(p, 'must be true or false');
    return null;
  }

  /** A civil date, as the national side writes it (dd/MM/yyyy) or as ISO (yyyy-MM-dd). */
  date(parent: Obj, key: Key, path: string, required = false): string | null {
    const s = this.text(parent, key, path, required);
    if (s === null) return null;
    const p = `${path ? `${path}.` : ''}${this.names[key]}`;
    const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    const iso = vn
      ? `${vn[3]}-${vn[2]!.padStart(2, '0')}-${vn[1]!.padStart(2, '0')}`
      : /^\d{4}-\d{2}-\d{2}/.test(s)
        ? s.slice(0, 10)
        : null;
    const d = iso ? new Date(`${iso}T00:00:00Z`) : null;
    if (!iso || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
      this.issue(p, `not a date: "${s}" (dd/MM/yyyy or yyyy-MM-dd)`);
      return null;
    }
    return iso;
  }

  code<T>(map: Record<string, T>, table: string, raw: string | null, path: string): T | null {
    if (raw === null) return null;
    const hit = map[raw];
    if (hit === undefined) {
      this.issue(path, `unknown code "${raw}": add it to the mapping's codes.${table}`);
      return null;
    }
    return hit;
  }
}

/**
 * Reads one national procedure record into the catalogue's content, its decision and its
 * status. Every problem is reported with the record's own path and names; nothing is guessed:
 * a code the mapping does not know is an issue, never a default.
 */
export async function readNationalRecord(
  raw: unknown,
  mapping: NationalMapping,
  lookup: CatalogueLookup,
): Promise<ReadResult> {
  const r = new Reader(mapping.names);
  if (!isObj(raw))
    return { ok: false, code: null, issues: [{ path: '(record)', reason: 'must be an object' }] };
  const codeText = r.text(raw, 'code', '', true);
  const code = codeText !== null && NationalCode.safeParse(codeText).success ? codeText : null;
  if (codeText !== null && code === null)
    r.issue(r.name('code'), `"${codeText}" is not a procedure code (a digit, a dot and six digits)`);

  const name = r.text(raw, 'name', '', true);

  // Field: the mapping's table first, else the catalogue's field with that code or that name.
  let fieldCode: string | null = null;
  const fields = r.objects(raw, 'fields', '', true);
  if (fields[0]) {
    const { o, path } = fields[0];
    const national = r.text(o, 'fieldCode', path);
    const fieldName = r.text(o, 'fieldName', path);
    fieldCode =
      (national !== null ? mapping.fields[national] : undefined) ??
      (national !== null && (await lookup.fieldCode(national)) ? national : undefined) ??
      (fieldName !== null ? await lookup.fieldByName(fieldName) : undefined) ??
      null;
    if (fieldCode === null)
      r.issue(
        `${path}.${r.name('fieldCode')}`,
        `unknown field "${national ?? ''}"${fieldName ? ` (${fieldName})` : ''}: add it to the mapping's fields`,
      );
  }

  const agency = async (o: Obj, path: string): Promise<string | null> => {
    const national = r.text(o, 'agencyCode', path, true);
    if (national === null) return null;
    const mapped = mapping.agencies[national];
    if (mapped) return mapped;
    if (await lookup.agency(national)) return national;
    const agencyName = r.text(o, 'agencyName', path);
    r.issue(
      `${path}.${r.name('agencyCode')}`,
      `unknown agency "${national}"${agencyName ? ` (${agencyName})` : ''}: add it to the mapping's agencies`,
    );
    return null;
  };
  const competent = r.objects(raw, 'competentAgencies', '', true)[0];
  const implementing = r.objects(raw, 'implementingAgencies', '')[0];
  const decidingAgencyCode = competent ? await agency(competent.o, competent.path) : null;
  const implementingCode = implementing
    ? await agency(implementing.o, implementing.path)
    : decidingAgencyCode;
  const receivingAgencyCode = mapping.receivingAgencyCode ?? implementingCode;
  const publishing = r
    .objects(raw, 'publishingAgencies', '')
    .map(({ o, path }) => r.text(o, 'agencyName', path))
    .filter((x): x is string => x !== null);

  const levels = r
    .list(raw, 'levels', '', true)
    .map(({ item, path }) => {
      const raw = isObj(item) ? item[r.name('levelCode')] : item;
      const p = isObj(item) ? `${path}.${r.name('levelCode')}` : path;
      return r.code(mapping.codes.authorityLevel, 'authorityLevel', raw == null ? null : String(raw), p);
    })
    .filter((x) => x !== null);

  const applicantTypes = [
    ...new Set(
      r
        .list(raw, 'subjects', '', true)
        .map(({ item, path }) => {
          const raw = isObj(item) ? item[r.name('subjectCode')] : item;
          const p = isObj(item) ? `${path}.${r.name('subjectCode')}` : path;
          return r.code(mapping.codes.applicantType, 'applicantType', raw == null ? null : String(raw), p);
        })
        .filter((x) => x !== null),
    ),
  ];

  const steps: string[] = [];
  for (const { o, path } of r.objects(raw, 'steps', '')) {
    const kase = r.text(o, 'stepCase', path);
    for (const { item, path: p } of r.list(o, 'stepList', path, true)) {
      if (typeof item !== 'string' || item.trim() === '') r.issue(p, 'must be text');
      else steps.push(kase ? `${kase}: ${nfc(item)}` : nfc(item));
    }
  }

  const methods: {
    channel: Channel;
    processingTime: { value: number; unit: TimeUnit };
    fees: { name: string; amount: number }[];
    note: string | null;
  }[] = [];
  for (const { o, path } of r.objects(raw, 'methods', '', true)) {
    const channel = r.code(
      mapping.codes.channel,
      'channel',
      r.text(o, 'channelCode', path, true),
      `${path}.${r.name('channelCode')}`,
    );
    const times = r.objects(o, 'times', path, true);
    const first = times[0];
    if (!first) continue;
    const value = r.int(first.o, 'timeValue', first.path, { required: true, min: 0, max: 3650 });
    const unit = r.code(
      mapping.codes.timeUnit,
      'timeUnit',
      r.text(first.o, 'timeUnit', first.path, true),
      `${first.path}.${r.name('timeUnit')}`,
    );
    const fees = r.objects(first.o, 'fees', first.path).flatMap(({ o: f, path: fp }) => {
      const feeName = r.text(f, 'feeName', fp) ?? 'Phí, lệ phí';
      const amount = r.int(f, 'feeAmount', fp, { required: true, min: 0, max: 1_000_000_000_000 });
      return amount === null ? [] : [{ name: feeName, amount }];
    });
    // Other cases with their own times are kept, in words, in the method's note.
    const notes = times
      .map(({ o: t, path: tp }, i) => {
        const note = r.text(t, 'timeNote', tp);
        if (i === 0) return note;
        const v = r.int(t, 'timeValue', tp, { min: 0, max: 3650 });
        const u = r.text(t, 'timeUnit', tp);
        return [v !== null && u ? `${v} ${u}` : null, note].filter(Boolean).join(': ') || null;
      })
      .filter((x): x is string => x !== null);
    if (channel && value !== null && unit)
      methods.push({
        channel,
        processingTime: { value, unit },
        fees,
        note: notes.length ? notes.join('; ') : null,
      });
  }

  const components: ProcedureContent['components'] = [];
  for (const { o, path } of r.objects(raw, 'components', '')) {
    const kase = r.text(o, 'componentCase', path);
    for (const { o: d, path: dp } of r.objects(o, 'documents', path, true)) {
      const docName = r.text(d, 'documentName', dp, true);
      const originals = r.int(d, 'originals', dp, { min: 0, max: 100 }) ?? 0;
      const copies = r.int(d, 'copies', dp, { min: 0, max: 100 }) ?? 0;
      const form = r.objects(d, 'forms', dp)[0];
      const formTemplate = form ? r.text(form.o, 'formName', form.path) : null;
      if (docName) components.push({ case: kase, name: docName, originals, copies, formTemplate });
    }
  }

  const conditions = r.list(raw, 'conditions', '').flatMap(({ item, path }) => {
    if (typeof item !== 'string') return (void r.issue(path, 'must be text'), []);
    return nfc(item) ? [nfc(item)] : [];
  });

  const resultObj = r.objects(raw, 'results', '')[0];
  const resultName = resultObj ? r.text(resultObj.o, 'resultName', resultObj.path, true) : null;
  const result =
    resultObj && resultName
      ? {
          name: resultName,
          isPaperDocument: !(r.bool(resultObj.o, 'resultElectronic', resultObj.path) ?? false),
        }
      : null;

  const legalBasis = r.objects(raw, 'legalBasis', '').flatMap(({ o, path }) => {
    const number = r.text(o, 'legalNumber', path, true);
    const title = r.text(o, 'legalTitle', path, true);
    const issuedOn = r.date(o, 'legalIssuedOn', path);
    const effectiveFrom = r.date(o, 'legalEffectiveFrom', path);
    return number && title ? [{ number, title, issuedOn, effectiveFrom }] : [];
  });

  const relatedProcedures = r.list(raw, 'related', '').flatMap(({ item, path }) => {
    const c = isObj(item) ? item[r.name('relatedCode')] : item;
    const p = isObj(item) ? `${path}.${r.name('relatedCode')}` : path;
    if (typeof c !== 'string' || !NationalCode.safeParse(c.trim()).success) {
      r.issue(p, 'must be a procedure code (a digit, a dot and six digits)');
      return [];
    }
    return [c.trim()];
  });

  let interAgency: ProcedureContent['interAgency'] = null;
  const ia = r.object(raw, 'interAgency', '');
  if (ia) {
    const mode = r.code(
      mapping.codes.interAgencyMode,
      'interAgencyMode',
      r.text(ia.o, 'interAgencyMode', ia.path, true),
      `${ia.path}.${r.name('interAgencyMode')}`,
    );
    const participants: NonNullable<ProcedureContent['interAgency']>['participants'] = [];
    for (const [i, { o, path }] of r.objects(ia.o, 'participants', ia.path, true).entries()) {
      const code = r.text(o, 'participantAgency', path, true);
      const agencyCode =
        code === null ? null : (mapping.agencies[code] ?? ((await lookup.agency(code)) ? code : null));
      if (code !== null && agencyCode === null)
        r.issue(
          `${path}.${r.name('participantAgency')}`,
          `unknown agency "${code}": add it to the mapping's agencies`,
        );
      const order = r.int(o, 'participantOrder', path, { min: 1, max: 20 }) ?? i + 1;
      const task = r.text(o, 'participantTask', path) ?? '';
      const value = r.int(o, 'participantTime', path, { required: true, min: 0, max: 3650 });
      const unit = r.code(
        mapping.codes.timeUnit,
        'timeUnit',
        r.text(o, 'participantUnit', path, true),
        `${path}.${r.name('participantUnit')}`,
      );
      if (agencyCode && value !== null && unit)
        participants.push({ agencyCode, order, task, processingTime: { value, unit } });
    }
    if (mode && participants.length > 0) interAgency = { mode, participants };
  }

  const onlineLevel = r.code(
    mapping.codes.onlineLevel,
    'onlineLevel',
    r.text(raw, 'onlineLevel', '', true),
    r.name('onlineLevel'),
  );
  const legacyLevel = r.int(raw, 'legacyLevel', '', { min: 1, max: 4 });
  const onlinePayment = r.bool(raw, 'onlinePayment', '') ?? false;
  const status =
    r.code(mapping.codes.status, 'status', r.text(raw, 'status', '', true), r.name('status')) ?? 'in_force';

  let decision: Decision | null = null;
  const dec = r.object(raw, 'decision', '');
  if (dec) {
    const parsed = Decision.safeParse({
      decisionNumber: r.text(dec.o, 'decisionNumber', dec.path, true) ?? '',
      signedOn: r.date(dec.o, 'decisionSignedOn', dec.path, true) ?? '',
      effectiveFrom: r.date(dec.o, 'decisionEffectiveFrom', dec.path, true) ?? '',
      nationalPublishedOn: r.date(dec.o, 'decisionPublishedOn', dec.path),
    });
    if (parsed.success) decision = parsed.data;
    else if (!r.issues.some((i) => i.path.startsWith(dec.path)))
      for (const i of parsed.error.issues)
        r.issue(`${dec.path}.${decisionName(r, String(i.path[0]))}`, i.message);
  }
  if (status === 'abolished' && !decision)
    r.issue(r.name('decision'), 'an abolished record must carry its decision');

  if (r.issues.length > 0) return { ok: false, code, issues: r.issues };

  const candidate = {
    name,
    fieldCode,
    decidingAgencyCode,
    receivingAgencyCode,
    authorityLevel: levels[0],
    steps,
    methods,
    components,
    conditions,
    result,
    applicantTypes,
    legalBasis,
    interAgency,
    onlineLevel,
    legacyLevel,
    onlinePayment,
    ...(publishing.length > 0 ? { publishingAgency: publishing.join('; ') } : {}),
    ...(relatedProcedures.length > 0 ? { relatedProcedures } : {}),
  };
  const content = ProcedureContent.safeParse(candidate);
  if (!content.success)
    return {
      ok: false,
      code,
      issues: content.error.issues.map((i) => ({ path: `(content).${i.path.join('.')}`, reason: i.message })),
    };
  return { ok: true, value: { code: code!, content: content.data, decision, status } };
}

function decisionName(r: Reader, field: string): string {
  const byField: Record<string, Key> = {
    decisionNumber: 'decisionNumber',
    signedOn: 'decisionSignedOn',
    effectiveFrom: 'decisionEffectiveFrom',
    nationalPublishedOn: 'decisionPublishedOn',
  };
  return byField[field] ? r.name(byField[field]) : field;
}
