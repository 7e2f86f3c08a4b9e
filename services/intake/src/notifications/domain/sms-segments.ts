/**
 * SMS length (3GPP TS 23.038 and 23.040): a text entirely in the GSM 7-bit alphabet takes 160
 * characters in one message, 153 per part when split (the rest carries the concatenation
 * header); characters of the extension table take two. Any other character (every Vietnamese
 * letter with a diacritic but a few Western ones) switches the whole message to UCS-2: 70
 * characters, 67 per part, counted in UTF-16 code units. Brandname gateways bill per part.
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsLength {
  encoding: SmsEncoding;
  /** Length in the encoding's units: septets for GSM-7 (extension characters count 2), UTF-16 units for UCS-2. */
  units: number;
  segments: number;
  /** Units per segment at this length: 160/153 (GSM-7) or 70/67 (UCS-2). */
  perSegment: number;
  /** Characters that forced UCS-2, at most ten, in order of appearance. */
  nonGsmCharacters: string[];
}

export function smsLength(text: string): SmsLength {
  let septets = 0;
  const nonGsm: string[] = [];
  for (const ch of text) {
    if (basic.has(ch)) septets += 1;
    else if (extension.has(ch)) septets += 2;
    else if (nonGsm.length < 10 && !nonGsm.includes(ch)) nonGsm.push(ch);
  }
  const gsm = [...text].every((ch) => basic.has(ch) || extension.has(ch));
  const [units, single, part] = gsm ? [septets, 160, 153] : [text.length, 70, 67];
  return {
    encoding: gsm ? 'GSM-7' : 'UCS-2',
    units,
    segments: units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / part),
    perSegment: units <= single ? single : part,
    nonGsmCharacters: gsm ? [] : nonGsm,
  };
}

/**
 * Vietnamese without diacritics, as agencies that choose it send SMS: tones and vowel marks
 * dropped (NFD, combining marks removed), đ → d and Đ → D, which the decomposition leaves alone.
 */
export function unaccent(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

export interface SmsCheck extends SmsLength {
  warnings: string[];
  /** The same text without diacritics, for comparison, when the text is UCS-2. */
  unaccented: SmsLength | null;
}

/** Length of an SMS with the warnings a template editor needs to see. */
export function checkSms(text: string): SmsCheck {
  const length = smsLength(text);
  const warnings: string[] = [];
  let unaccented: SmsLength | null = null;
  if (length.encoding === 'UCS-2') {
    unaccented = smsLength(unaccent(text));
    warnings.push(
      `Tin nhắn có ký tự ngoài bảng GSM-7 (${length.nonGsmCharacters.join(' ')}) nên mã hóa UCS-2: ${length.units} ký tự, ${length.segments} tin (70 ký tự/tin, 67 khi ghép). ` +
        `Gửi không dấu: ${unaccented.units} ký tự, ${unaccented.segments} tin.`,
    );
  }
  if (length.segments > 1)
    warnings.push(`Tin nhắn dài ${length.segments} tin ghép; nhà mạng tính phí từng tin.`);
  return { ...length, warnings, unaccented };
}
