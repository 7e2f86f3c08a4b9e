import {
  OFFICIAL_DAYS_2024_2026,
  addDays,
  createCalendar,
  fromDayNumber,
  timeliness,
  toDayNumber,
  toVnIsoString,
  vnDate,
  vnInstant,
} from '@tthc/calendar';
import type { DossierComponent } from '@tthc/contracts';
import fc from 'fast-check';
import {
  contentHash,
  isFeeBearing,
  type ProcedureContent,
} from '../../services/catalogue/src/domain/procedure';
import type { DossierStatus } from '../../services/intake/src/db/schema';
import { dossierCode } from '../../services/intake/src/domain/dossier-code';
import {
  missingComponents,
  normalizePhone,
  type SubmittedComponent,
} from '../../services/intake/src/domain/dossier-input';
import {
  STATUS_CODES,
  TERMINAL,
  TRANSITIONS,
  allowedFrom,
  canApply,
  nextStatus,
  type DossierAction,
} from '../../services/intake/src/domain/lifecycle';

/** Issue 6, item 5: properties of the pure domain functions, over generated inputs. */

const cal = createCalendar({ overrides: [...OFFICIAL_DAYS_2024_2026] });
const HOUR = 3_600_000;
const FIRST_DAY = toDayNumber('2024-01-01');
const LAST_DAY = toDayNumber('2026-12-31');

const civilDay = fc.integer({ min: FIRST_DAY, max: LAST_DAY }).map(fromDayNumber);
/** Any instant of 2024–2026 in Việt Nam, often around the end of office hours (17:00), where the rules turn. */
const receipt = fc.oneof(
  fc.date({
    min: vnInstant('2024-01-01', 0),
    max: new Date(vnInstant('2026-12-31', 0).getTime() + 24 * HOUR - 1),
    noInvalidDate: true,
  }),
  fc
    .tuple(civilDay, fc.integer({ min: 16 * HOUR, max: 24 * HOUR - 1 }))
    .map(([day, ms]) => new Date(vnInstant(day, 0).getTime() + ms)),
);
/** A working day of 2024–2026 and a local time before 17:00 on it. */
const workingDayReceipt = fc
  .tuple(civilDay, fc.integer({ min: 0, max: 17 * HOUR - 1 }))
  .map(([day, ms]) => new Date(vnInstant(cal.workingDayOnOrAfter(day), 0).getTime() + ms));
/** 0..60, with the same-day period (0) and one day more often than chance. */
const workingDays = fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 60 }));

describe('due dates in working days (packages/calendar)', () => {
  it('land on a working day at 17:00 in Việt Nam (10:00Z)', () => {
    fc.assert(
      fc.property(receipt, workingDays, (receivedAt, n) => {
        const due = cal.dueDate(receivedAt, { value: n, unit: 'working_days' });
        expect(cal.isWorkingDay(vnDate(due))).toBe(true);
        expect(toVnIsoString(due)).toMatch(/T17:00:00\+07:00$/);
        expect(due.toISOString()).toMatch(/T10:00:00\.000Z$/);
      }),
    );
  });

  it('are never before the receipt', () => {
    fc.assert(
      fc.property(receipt, workingDays, (receivedAt, n) => {
        const due = cal.dueDate(receivedAt, { value: n, unit: 'working_days' });
        const seen = { receivedAt: toVnIsoString(receivedAt), n, due: toVnIsoString(due) };
        expect({ ...seen, dueBeforeReceipt: due.getTime() < receivedAt.getTime() }).toEqual({
          ...seen,
          dueBeforeReceipt: false,
        });
      }),
    );
  });

  it('are N working days after a receipt on a working day before 17:00', () => {
    fc.assert(
      fc.property(workingDayReceipt, workingDays, (receivedAt, n) => {
        expect(
          cal.countWorkingDays(receivedAt, cal.dueDate(receivedAt, { value: n, unit: 'working_days' })),
        ).toBe(n);
      }),
    );
  });

  it('grow strictly with N: N + 1 working days end a working day after N', () => {
    fc.assert(
      fc.property(receipt, workingDays, (receivedAt, n) => {
        const dueIn = (value: number) =>
          toVnIsoString(cal.dueDate(receivedAt, { value, unit: 'working_days' }));
        const seen = {
          receivedAt: toVnIsoString(receivedAt),
          [`due in ${n}`]: dueIn(n),
          [`due in ${n + 1}`]: dueIn(n + 1),
        };
        expect({ ...seen, later: dueIn(n + 1) > dueIn(n) }).toEqual({ ...seen, later: true });
      }),
    );
  });
});

describe('working-day arithmetic (packages/calendar)', () => {
  it('addWorkingDays is monotonic, strictly, and lands on working days', () => {
    fc.assert(
      fc.property(
        civilDay,
        fc.integer({ min: -60, max: 60 }),
        fc.integer({ min: -60, max: 60 }),
        (day, a, b) => {
          const [m, n] = a <= b ? [a, b] : [b, a];
          const x = cal.addWorkingDays(day, m);
          const y = cal.addWorkingDays(day, n);
          expect(m < n ? x < y : x === y).toBe(true);
          if (n !== 0) expect(cal.isWorkingDay(y)).toBe(true);
        },
      ),
    );
  });

  it('countWorkingDays inverts addWorkingDays from a working day, with its sign', () => {
    fc.assert(
      fc.property(civilDay, fc.integer({ min: -60, max: 60 }), (day, n) => {
        const from = cal.workingDayOnOrAfter(day);
        const to = cal.addWorkingDays(from, n);
        expect(cal.countWorkingDays(vnInstant(from, 9 * 60), vnInstant(to, 9 * 60))).toBe(n);
        expect(cal.countWorkingDays(vnInstant(to, 9 * 60), vnInstant(from, 9 * 60))).toBe(0 - n || 0);
      }),
    );
  });

  it('a working day is never a weekend day unless an announcement makes it one', () => {
    const workedWeekends = new Set(
      OFFICIAL_DAYS_2024_2026.filter((d) => d.kind === 'working_day').map((d) => d.date),
    );
    fc.assert(
      fc.property(civilDay, (day) => {
        const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
        if (cal.isWorkingDay(day) && (weekday === 0 || weekday === 6))
          expect(workedWeekends.has(day)).toBe(true);
      }),
    );
  });
});

describe('timeliness (packages/calendar)', () => {
  const instant = fc.date({
    min: new Date('2023-12-01T00:00:00Z'),
    max: new Date('2027-02-01T00:00:00Z'),
    noInvalidDate: true,
  });

  it('is early iff the civil date of the end is before that of the due date, on time iff equal, late iff after', () => {
    fc.assert(
      fc.property(instant, instant, (endedAt, dueAt) => {
        const [e, d] = [vnDate(endedAt), vnDate(dueAt)];
        expect(timeliness(endedAt, dueAt)).toBe(e < d ? 'early' : e === d ? 'on_time' : 'late');
      }),
    );
  });

  it('judges by date, not hour: any two instants of the due date are on time', () => {
    fc.assert(
      fc.property(
        civilDay,
        fc.integer({ min: 0, max: 24 * HOUR - 1 }),
        fc.integer({ min: 0, max: 24 * HOUR - 1 }),
        (day, a, b) => {
          const start = vnInstant(day, 0).getTime();
          expect(timeliness(new Date(start + a), new Date(start + b))).toBe('on_time');
          expect(timeliness(new Date(start + a), vnInstant(addDays(day, 1), 0))).toBe('early');
        },
      ),
    );
  });

  it('swapping the two instants turns early into late', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const forward = timeliness(a, b);
        const backward = timeliness(b, a);
        expect(backward).toBe(forward === 'early' ? 'late' : forward === 'late' ? 'early' : 'on_time');
      }),
    );
  });
});

describe('dossier codes (services/intake dossier-code.ts)', () => {
  const agency = fc.stringMatching(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/);
  const instant = fc.date({
    min: new Date('1976-01-01T00:00:00Z'),
    max: new Date('2199-12-31T00:00:00Z'),
    noInvalidDate: true,
  });

  it('round-trip: agency, the receipt date in Việt Nam as YYMMDD, and the serial padded to 4 digits', () => {
    fc.assert(
      fc.property(agency, instant, fc.integer({ min: 1, max: 99_999 }), (a, at, serial) => {
        const code = dossierCode(a, at, serial);
        const match = /^(.+)-(\d{6})-(\d{4,})$/.exec(code);
        expect(match).not.toBeNull();
        const [, agencyPart, datePart, serialPart] = match!;
        expect(agencyPart).toBe(a);
        expect(datePart).toBe(vnDate(at).replace(/-/g, '').slice(2));
        expect(serialPart).toBe(String(serial).padStart(4, '0'));
        expect(Number(serialPart)).toBe(serial);
      }),
    );
  });

  it('refuses a serial below 1 or not an integer', () => {
    const bad = fc.oneof(
      fc.integer({ max: 0 }),
      fc.double({ noInteger: true }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY),
    );
    fc.assert(
      fc.property(agency, instant, bad, (a, at, serial) => {
        expect(() => dossierCode(a, at, serial)).toThrow(RangeError);
      }),
    );
  });
});

describe('the one-stop lifecycle (services/intake lifecycle.ts)', () => {
  const statuses = Object.keys(STATUS_CODES) as DossierStatus[];
  const actions = Object.keys(TRANSITIONS) as DossierAction[];

  it('lets no action lead out of a terminal status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TERMINAL), fc.constantFrom(...actions), (status, action) => {
        expect(canApply(status, action)).toBe(false);
        expect(allowedFrom(status)).toEqual([]);
      }),
    );
  });

  it('leads every allowed action to a status of the national list', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.constantFrom(...actions), (status, action) => {
        fc.pre(canApply(status, action));
        expect(statuses).toContain(nextStatus(status, action));
      }),
    );
  });

  it('keeps any walk of allowed actions on the national list, stuck once terminal', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<DossierStatus>('submitted', 'received'),
        fc.array(fc.nat(), { maxLength: 30 }),
        (start, picks) => {
          let status = start;
          for (const pick of picks) {
            const allowed = allowedFrom(status);
            if (TERMINAL.includes(status)) expect(allowed).toEqual([]);
            if (allowed.length === 0) break;
            status = nextStatus(status, allowed[pick % allowed.length]!);
            expect(STATUS_CODES[status]).toBeGreaterThanOrEqual(1);
            expect(STATUS_CODES[status]).toBeLessThanOrEqual(10);
          }
        },
      ),
    );
  });
});

/** Syllables of dossier component names, so that NFD really decomposes something. */
const SYLLABLES = [
  'Đơn',
  'đề',
  'nghị',
  'Giấy',
  'chứng',
  'nhận',
  'Bản',
  'sao',
  'hợp',
  'lệ',
  'khám',
  'sức',
  'khỏe',
  'Ảnh',
  'thẻ',
  'hành',
  'nghề',
  'dược',
  'Tờ',
  'khai',
  'Quyết',
  'định',
  'ưu',
  'tiên',
  'Hộ',
  'chiếu',
];
const vietnameseName = fc
  .array(fc.constantFrom(...SYLLABLES), { minLength: 1, maxLength: 6 })
  .map((w) => w.join(' '));
const submitted = (name: string): SubmittedComponent => ({
  name,
  originals: 1,
  copies: 0,
  digitized: false,
  reused: false,
  fromCitizenStore: false,
});
const required = (name: string, variant: string | null = null): DossierComponent => ({
  case: variant,
  name,
  originals: 1,
  copies: 0,
  formTemplate: null,
});

describe('dossier input (services/intake dossier-input.ts)', () => {
  const separator = fc.constantFrom('', ' ', '.', '-');
  const phoneLike = fc
    .tuple(
      fc.constantFrom('0', '+84'),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), separator), { minLength: 9, maxLength: 10 }),
    )
    .map(([prefix, digits]) => prefix + digits.map(([d, sep]) => `${d}${sep}`).join(''));

  it('normalizePhone is idempotent, on phone numbers and on any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(phoneLike, fc.string(), fc.string({ unit: 'grapheme' })),
        (phone) => normalizePhone(normalizePhone(phone)) === normalizePhone(phone),
      ),
    );
  });

  it('normalizePhone writes +84 and 0 numbers alike, without separators', () => {
    fc.assert(
      fc.property(phoneLike, (phone) => {
        const rest = phone.replace(/^(\+84|0)/, '');
        expect(normalizePhone(`+84${rest}`)).toBe(normalizePhone(`0${rest}`));
        expect(normalizePhone(phone)).toMatch(/^0\d{9,10}$/);
      }),
    );
  });

  it('finds nothing missing when every required name is submitted, in any order and Unicode form', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(vietnameseName, { minLength: 1, maxLength: 8 })
          .chain((names) =>
            fc.tuple(
              fc.constant(names),
              fc.shuffledSubarray(names, { minLength: names.length }),
              fc.array(fc.constantFrom('NFC', 'NFD'), { minLength: names.length, maxLength: names.length }),
            ),
          ),
        fc.array(vietnameseName, { maxLength: 3 }),
        ([names, order, forms], extra) => {
          const sent = order.map((n, i) => submitted(n.normalize(forms[i]!)));
          expect(
            missingComponents(
              names.map((n) => required(n)),
              null,
              [...sent, ...extra.map(submitted)],
            ),
          ).toEqual([]);
        },
      ),
    );
  });

  it('names exactly the required components that were left out, and those of the chosen case', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(vietnameseName, { minLength: 2, maxLength: 8, selector: (n) => n.toLowerCase() }),
        fc.nat(),
        fc.boolean(),
        (names, drop, withCase) => {
          const left = names[drop % names.length]!;
          const components = names.map((n, i) =>
            required(n, withCase && i % 2 === 1 ? 'Trường hợp 1' : null),
          );
          const sent = names.filter((n) => n !== left).map((n) => submitted(n.normalize('NFD')));
          expect(
            missingComponents(components, withCase ? 'Trường hợp 1'.normalize('NFD') : null, sent),
          ).toEqual([left]);
        },
      ),
    );
  });
});

const text = fc.string({ minLength: 1, maxLength: 12 });
const fee = fc.record({
  name: text,
  amount: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000_000_000_000 })),
});
const method = fc.record({
  channel: fc.constantFrom('direct' as const, 'online' as const, 'postal' as const),
  processingTime: fc.record({
    value: fc.integer({ min: 0, max: 3650 }),
    unit: fc.constantFrom(
      'working_days' as const,
      'working_hours' as const,
      'days' as const,
      'months' as const,
    ),
  }),
  fees: fc.array(fee, { maxLength: 4 }),
  note: fc.option(text, { nil: null }),
});
const procedureContent: fc.Arbitrary<ProcedureContent> = fc.record({
  name: text,
  fieldCode: fc.constantFrom('DUOC_PHAM', 'Y_TE'),
  decidingAgencyCode: fc.constant('000.00.17.H55'),
  receivingAgencyCode: fc.constant('000.20.17.H55'),
  authorityLevel: fc.constantFrom('province' as const, 'district' as const, 'commune' as const),
  steps: fc.array(text, { maxLength: 4 }),
  methods: fc.uniqueArray(method, { minLength: 1, maxLength: 3, selector: (m) => m.channel }),
  components: fc.array(
    fc.record({
      case: fc.option(text, { nil: null }),
      name: text,
      originals: fc.nat(100),
      copies: fc.nat(100),
      formTemplate: fc.option(text, { nil: null }),
    }),
    { maxLength: 4 },
  ),
  conditions: fc.array(text, { maxLength: 3 }),
  result: fc.option(fc.record({ name: text, isPaperDocument: fc.boolean() }), { nil: null }),
  applicantTypes: fc.subarray(['person' as const, 'organisation' as const]),
  legalBasis: fc.array(
    fc.record({
      number: text,
      title: text,
      issuedOn: fc.option(fc.constant('2016-04-06'), { nil: null }),
      effectiveFrom: fc.option(fc.constant('2017-01-01'), { nil: null }),
    }),
    { maxLength: 3 },
  ),
  interAgency: fc.constant(null),
  onlineLevel: fc.constantFrom('full' as const, 'partial' as const, 'none' as const),
  legacyLevel: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  onlinePayment: fc.boolean(),
});

/** The same value with the keys of every object in another order (a seeded permutation). */
function reorderKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reorderKeys(v, seed + i + 1));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  let s = seed >>> 0;
  for (let i = entries.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    const j = s % (i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v], i) => [k, reorderKeys(v, seed * 31 + i)]));
}

describe('procedure content (services/catalogue procedure.ts)', () => {
  it('contentHash is stable under key reordering, and changes with the content', () => {
    fc.assert(
      fc.property(procedureContent, fc.integer(), (content, seed) => {
        const reordered = reorderKeys(content, seed) as ProcedureContent;
        expect(contentHash(reordered)).toBe(contentHash(content));
        expect(contentHash({ ...content, name: `${content.name}.` })).not.toBe(contentHash(content));
      }),
    );
  });

  it('isFeeBearing iff some fee is above 0 đồng', () => {
    fc.assert(
      fc.property(procedureContent, (content) => {
        const total = content.methods.flatMap((m) => m.fees).reduce((sum, f) => sum + f.amount, 0);
        expect(isFeeBearing(content)).toBe(total > 0);
      }),
    );
  });
});
