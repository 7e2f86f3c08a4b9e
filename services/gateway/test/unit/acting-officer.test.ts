import { ActingOfficerRefused, actingOfficerOf } from '../../src/auth/acting-officer';

const key = (mayStateOfficer: boolean) => ({ kind: 'key' as const, mayStateOfficer });
const refusal = (fn: () => unknown): ActingOfficerRefused => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ActingOfficerRefused) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('the acting officer a desk system states', () => {
  it('is none when no header is sent, whoever calls', () => {
    expect(actingOfficerOf({}, key(false))).toBeNull();
    expect(actingOfficerOf({ 'x-api-key': 'x' }, { kind: 'token' })).toBeNull();
  });

  it('decodes percent-encoded UTF-8 to NFC, trims, and keeps the unit optional', () => {
    const decomposed = 'Nguyễn Thị Hoa'.normalize('NFD');
    expect(
      actingOfficerOf(
        {
          'x-acting-officer-id': ' hoa.nt ',
          'x-acting-officer-name': encodeURIComponent(decomposed),
          'x-acting-officer-unit': encodeURIComponent('Bộ phận Một cửa'),
        },
        key(true),
      ),
    ).toEqual({ id: 'hoa.nt', name: 'Nguyễn Thị Hoa'.normalize('NFC'), unit: 'Bộ phận Một cửa' });
    expect(
      actingOfficerOf({ 'x-acting-officer-id': 'a1', 'x-acting-officer-name': 'Hoa' }, key(true)),
    ).toEqual({ id: 'a1', name: 'Hoa', unit: null });
  });

  it('is refused (403) to a key without the permission and to an officer token', () => {
    const headers = { 'x-acting-officer-id': 'a1', 'x-acting-officer-name': 'Hoa' };
    expect(refusal(() => actingOfficerOf(headers, key(false))).status).toBe(403);
    expect(refusal(() => actingOfficerOf(headers, { kind: 'token' })).status).toBe(403);
    // Any one of the headers counts as stating an officer.
    expect(refusal(() => actingOfficerOf({ 'x-acting-officer-unit': 'X' }, key(false))).status).toBe(403);
  });

  it('names the header that is missing, malformed, empty, too long or holds a control character', () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'x-acting-officer-name': 'Hoa' }, '/x-acting-officer-id'],
      [{ 'x-acting-officer-id': 'a1' }, '/x-acting-officer-name'],
      [{ 'x-acting-officer-id': 'a1', 'x-acting-officer-name': 'Nguy%E1n' }, '/x-acting-officer-name'],
      [{ 'x-acting-officer-id': '  ', 'x-acting-officer-name': 'Hoa' }, '/x-acting-officer-id'],
      [{ 'x-acting-officer-id': 'a'.repeat(121), 'x-acting-officer-name': 'Hoa' }, '/x-acting-officer-id'],
      [
        { 'x-acting-officer-id': 'a1', 'x-acting-officer-name': 'Hoa', 'x-acting-officer-unit': 'A%0AB' },
        '/x-acting-officer-unit',
      ],
    ];
    for (const [headers, pointer] of cases) {
      const err = refusal(() => actingOfficerOf(headers, key(true)));
      expect({ pointer, status: err.status, pointers: err.errors.map((e) => e.pointer) }).toEqual({
        pointer,
        status: 400,
        pointers: [pointer],
      });
    }
  });
});
