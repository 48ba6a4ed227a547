/** Text helpers of the .docx renderer: heading numbers, the date, cleaning and measuring text. */

const DIGITS = '〇一二三四五六七八九';
const UNITS = ['', '十', '百', '千'];

/**
 * A heading's number as official documents write it: 1 → 一, 10 → 十, 15 → 十五, 20 → 二十,
 * 101 → 一百零一, 110 → 一百一十, 200 → 二百 (any count of sections, up to 9999).
 */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new RangeError(`no Chinese numeral for ${n}`);
  const digits = String(n).split('').map(Number);
  let out = '';
  let zero = false;
  digits.forEach((d, i) => {
    const unit = UNITS[digits.length - 1 - i];
    if (d === 0) {
      zero = true;
      return;
    }
    if (zero && out) out += '零';
    zero = false;
    out += DIGITS[d] + unit;
  });
  // 十五, not 一十五: only when 十 leads the number.
  return out.startsWith('一十') ? out.slice(1) : out;
}

/**
 * The date of issue as GB/T 9704-2012 (7.3.5.1) writes it: Arabic numerals, no leading zeros,
 * "2024年4月30日". The 1999 standard's 二〇二四年四月三十日 is no longer used.
 */
export function documentDate(isoDay: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  if (!m) throw new TypeError(`the report date must be YYYY-MM-DD, got ${JSON.stringify(isoDay)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) throw new TypeError(`no such day: ${isoDay}`);
  return `${year}年${month}月${day}日`;
}

/**
 * Removes what XML 1.0 cannot hold (C0 controls but tab and line ends, U+FFFE/U+FFFF, lone
 * surrogates). Upstream input checks already refuse them; a document must open regardless.
 */
export function xmlSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/** Leading and trailing blanks, including the ideographic space people type as an indent. */
const EDGE_BLANKS = /^[\s\u3000]+|[\s\u3000]+$/g;

/**
 * The paragraphs of a plain-text body: one per line, blanks at either end trimmed (the
 * first-line indent is the layout's), empty lines dropped.
 */
export function paragraphsOf(body: string): string[] {
  return xmlSafe(body)
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => line.replace(EDGE_BLANKS, ''))
    .filter((line) => line.length > 0);
}

/** One line of text, trimmed, with line breaks as spaces (headings, the office). */
export function singleLine(text: string): string {
  return xmlSafe(text).replace(/[\r\n\u2028\u2029\t]+/g, ' ').replace(EDGE_BLANKS, '');
}

/** A heading given with its number already ("一、组织领导") loses it: the renderer numbers. */
export function withoutNumber(heading: string): string {
  return heading.replace(/^[一二三四五六七八九十百千〇零]+[、.．]\s*/, '');
}

/**
 * Estimated width in characters of 16 pt text: CJK and full-width forms take one, the rest
 * (Arabic digits, Latin letters, half-width punctuation) half, and a quarter is added where CJK
 * meets digits or letters (the space Word and LibreOffice insert there). For centring the office
 * over the date.
 */
export function textWidth(text: string): number {
  let width = 0;
  let previous: boolean | null = null;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide = cp >= 0x2e80 || (cp >= 0x2000 && cp <= 0x206f);
    width += wide ? 1 : 0.5;
    if (previous !== null && previous !== wide && /[\p{L}\p{N}]/u.test(ch)) width += 0.25;
    previous = /[\p{L}\p{N}]/u.test(ch) ? wide : null;
  }
  return width;
}

/**
 * A second-level heading opening a paragraph ("（一）强化宣传。…"): the numbered phrase up to its
 * first full stop, or the whole line when it is short and has none. null: no such heading.
 */
export function secondLevelHeading(paragraph: string): { heading: string; rest: string } | null {
  const m = /^[（(][一二三四五六七八九十]+[）)]/.exec(paragraph);
  if (!m) return null;
  const stop = paragraph.slice(m[0].length).search(/[。！？]/);
  if (stop >= 0) {
    const end = m[0].length + stop + 1;
    return { heading: paragraph.slice(0, end), rest: paragraph.slice(end) };
  }
  return paragraph.length <= 40 ? { heading: paragraph, rest: '' } : null;
}
