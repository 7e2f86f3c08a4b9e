import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHORT_SMS } from '../../src/db/migrations/202612010101_short_sms';
import { smsLength, unaccent } from '../../src/notifications/domain/sms-segments';
import { render } from '../../src/notifications/domain/template-render';
import { CITIZEN_EVENTS, SAMPLE_DATA } from '../../src/notifications/templates/template-catalogue';

/** The demo catalogue's longest procedure name: the worst case a default template meets. */
const LONGEST = (
  JSON.parse(readFileSync(join(__dirname, '../../../catalogue/seed/demo-catalogue.json'), 'utf8')) as {
    procedures: { name: string }[];
  }
).procedures
  .map((p) => p.name)
  .sort((a, b) => b.length - a.length)[0]!;
const DATA = {
  ...SAMPLE_DATA,
  procedureName: LONGEST,
  // The longest place a department sets in the tests: the portal or the desk.
  resultPlace: 'Cổng Dịch vụ công (kết quả điện tử) hoặc Bộ phận Tiếp nhận và Trả kết quả',
};
/** What most dossiers hear of: received, asked for more, result ready, result handed over. */
const COMMON = ['received', 'supplement_requested', 'result_ready', 'returned', 'returned_by_post'];

describe('default text messages', () => {
  it('exist for every citizen event', () => {
    expect(Object.keys(SHORT_SMS).sort()).toEqual([...CITIZEN_EVENTS].sort());
  });

  it.each(Object.entries(SHORT_SMS))(
    '%s: at most two segments with accents, one without for the common events',
    (event, body) => {
      expect(LONGEST.length).toBeGreaterThan(200);
      const text = render(body, DATA).normalize('NFC');
      expect(text).not.toMatch(/\{\{|undefined/);
      const accented = smsLength(text);
      expect({ event, encoding: accented.encoding, within: accented.segments <= 2 }).toEqual({
        event,
        encoding: 'UCS-2',
        within: true,
      });
      const plain = smsLength(unaccent(text));
      expect(plain.encoding).toBe('GSM-7');
      expect({ event, segments: plain.segments }).toEqual({
        event,
        segments: COMMON.includes(event) ? 1 : plain.segments <= 2 ? plain.segments : 'more than two',
      });
    },
  );
});
