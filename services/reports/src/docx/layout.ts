/**
 * The page of an official document (党政机关公文格式, GB/T 9704-2012) in Word's units.
 * Twips are 1/20 pt (1 mm = 56.693 twips); run sizes are half-points.
 */

const MM = 1440 / 25.4;
const twips = (mm: number) => Math.round(mm * MM);

/** A4, 210 × 297 mm (GB/T 9704 5.2.1). */
export const PAGE = { width: twips(210), height: twips(297) } as const; // 11906 × 16838

/**
 * 天头 37 mm, 订口 28 mm (5.2.2), and the rest of the page so that the text block (版心) is
 * 156 × 225 mm: bottom 297 − 37 − 225 = 35 mm, right 210 − 28 − 156 = 26 mm.
 */
export const MARGIN = { top: twips(37), bottom: twips(35), left: twips(28), right: twips(26) } as const;

export const TEXT_BLOCK = {
  width: PAGE.width - MARGIN.left - MARGIN.right, // 8845 twips = 156.0 mm
  height: PAGE.height - MARGIN.top - MARGIN.bottom, // 12756 twips = 225.0 mm
} as const;

/** 22 lines a page, 28 characters a line (5.2.3, 7.1). */
export const LINES_PER_PAGE = 22;
export const CHARS_PER_LINE = 28;

/**
 * 22 lines: every paragraph has an exact line height (w:spacing lineRule="exact") of 12756 / 22 =
 * 579.8 twips, rounded DOWN to 579 (28.95 pt), since Word fits a line only when the whole of it
 * fits: 22 × 580 = 12760 twips would leave 21 lines. No line grid (w:docGrid type="lines"): the
 * exact heights already make the 22 lines, and LibreOffice would give each 22 pt title line two
 * grid lines where Word gives one.
 */
export const LINE_PITCH = Math.floor(TEXT_BLOCK.height / LINES_PER_PAGE); // 579

/** 三号 (16 pt) body and headings, 二号 (22 pt) title, 四号 (14 pt) page numbers: half-points. */
export const SIZE = { body: 32, title: 44, pageNumber: 28 } as const;

/**
 * 28 characters a line. 三号 characters are 16 pt, and 28 × 16 pt = 158 mm does not fit the 156 mm
 * block: Word's character grid (w:docGrid linesAndChars, charSpace −842 = a 15.79 pt pitch) squeezes
 * them, but LibreOffice never puts a 16 pt character in a cell narrower than itself, so it gives
 * each two cells (14 characters a line). Every run of the body is therefore set 0.25 pt tighter
 * (w:spacing −5, the nearest twentieth of a point that fits: 28 × 15.75 pt = 441 pt ≤ 442.25 pt),
 * which both Word and LibreOffice lay out as 28 characters a line.
 */
export const CHAR_PITCH_TWIPS = TEXT_BLOCK.width / CHARS_PER_LINE; // ≈ 315.9
export const CHAR_SPACING = Math.floor(CHAR_PITCH_TWIPS - SIZE.body * 10); // −5 (twentieths of a point)
const TEXT_PITCH_TWIPS = SIZE.body * 10 + CHAR_SPACING; // 315

/** n characters of body text in twips, for indents (w:ind). */
export const chars = (n: number) => Math.round(n * TEXT_PITCH_TWIPS);

/**
 * Page numbers (7.5): 四号 半角 宋体 digits between two 一字线 ("— 1 —"), the dash 7 mm below the
 * text block, odd pages right and even pages left, one character (of the 14 pt numbers) in.
 * The footer paragraph has an exact 16 pt line; its middle, where the dashes are, sits 7 mm below
 * the text block: 35 − 7 = 28 mm above the page's bottom edge, so its bottom is ~25 mm above it.
 */
export const FOOTER = {
  distance: twips(35 - 7) - 160, // w:footer: page edge → bottom of the footer paragraph
  line: 320,
  inset: SIZE.pageNumber * 10, // one 14 pt character = 280 twips
} as const;

/**
 * Faces by the names Chinese Word installations and official templates use, in the East Asian
 * slot (w:eastAsia), which is what Word draws Chinese with. Digits and Latin letters of the body,
 * headings and signature are Times New Roman (w:ascii, w:hAnsi, w:cs), as official templates set
 * them; the title is one face throughout; page numbers are 宋体 (7.5) by its Windows family name
 * SimSun, which Word resolves to the same font and fontconfig to a Song-style serif.
 * LibreOffice on Linux has none of these faces: with the text's language zh-CN it falls back to a
 * CJK font (with fonts-noto-cjk: Noto Sans CJK, in its JP cut, whatever the name; SimSun alone
 * → Noto Serif CJK) and Times New Roman to a serif.
 * The docx package writes no w:fontTable entries for fonts it does not embed (no w:altName or
 * w:panose1 to steer the substitution), and these faces are not ours to embed.
 */
export const FONT = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  pageNumber: 'SimSun',
  latin: 'Times New Roman',
} as const;

export const LANGUAGE = { value: 'zh-CN', eastAsia: 'zh-CN' } as const;

/**
 * Signature (7.3.5.1): the date right-aligned four characters in from the right, the office
 * centred over the date, one blank line below the body.
 */
export const SIGNATURE = { dateRightIndentChars: 4, minOfficeRightIndentChars: 2 } as const;
