/**
 * A work summary (工作总结) as a Word .docx laid out per GB/T 9704-2012 (党政机关公文格式), as
 * closely as Word's model allows: the values and why are in ./layout.ts.
 */
import {
  AlignmentType,
  Document,
  DocumentGridType,
  Footer,
  type IRunOptions,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Tab,
  TextRun,
} from 'docx';
import {
  chineseNumeral,
  documentDate,
  paragraphsOf,
  secondLevelHeading,
  singleLine,
  textWidth,
  withoutNumber,
  xmlSafe,
} from './chinese-text';
import { chars, CHAR_SPACING, FONT, FOOTER, LANGUAGE, LINE_PITCH, MARGIN, PAGE, SIGNATURE, SIZE } from './layout';

export interface DocxReport {
  title: string;
  /** In order; a section with an empty heading (an opening paragraph) is not numbered. */
  sections: { heading: string; body: string }[];
  /** The issuing office (发文机关署名), e.g. the tenant's name. */
  office: string;
  /** YYYY-MM-DD, the date of issue. */
  date: string;
}

/** Every paragraph takes whole lines of the page's 22: one exact pitch, nothing before or after. */
const ON_GRID = { line: LINE_PITCH, lineRule: LineRuleType.EXACT, before: 0, after: 0 } as const;

/** Two characters: w:firstLineChars for Word (its 2 字符), their width in twips for other readers. */
const FIRST_LINE_INDENT = { firstLine: chars(2), firstLineChars: 200 } as const;

/**
 * A face in the East Asian slot, named explicitly (w:eastAsia), and the Latin face for digits and
 * letters (w:ascii, w:hAnsi, w:cs).
 */
function faces(eastAsia: string, latin: string = FONT.latin) {
  return { eastAsia, ascii: latin, hAnsi: latin, cs: latin };
}

function run(text: string, face: ReturnType<typeof faces>, size: number, extra: Partial<IRunOptions> = {}): TextRun {
  // A tab is kept as Word's tab, not a raw character in w:t.
  const parts = text.split('\t');
  const children = parts.flatMap((part, i) => (i === 0 ? [part] : [new Tab(), part])).filter((c) => c !== '');
  return new TextRun({ children, font: face, size, sizeComplexScript: size, language: LANGUAGE, ...extra });
}

const NORMAL_RUN = { font: faces(FONT.body), size: SIZE.body, sizeComplexScript: SIZE.body, language: LANGUAGE, characterSpacing: CHAR_SPACING };

/** 16 pt text, 0.25 pt tighter so that 28 characters fill a line (see CHAR_SPACING). */
const TIGHT = { characterSpacing: CHAR_SPACING } as const;

const bodyRun = (text: string) => run(text, faces(FONT.body), SIZE.body, TIGHT);

function title(text: string): Paragraph[] {
  const lines = xmlSafe(text)
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return [];
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      // One blank line below the title. (The Normal style's 0.25 pt tightening applies here too:
      // the docx package cannot write a spacing of 0 to undo it, and a centred title does not mind.)
      spacing: { ...ON_GRID, after: LINE_PITCH },
      keepNext: true,
      keepLines: true,
      widowControl: false,
      children: lines.map((line, i) =>
        run(line, faces(FONT.title, FONT.title), SIZE.title, i > 0 ? { break: 1 } : {}),
      ),
    }),
  ];
}

function heading1(number: number, text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    spacing: ON_GRID,
    indent: FIRST_LINE_INDENT,
    keepNext: true,
    widowControl: false,
    outlineLevel: 0,
    children: [run(`${chineseNumeral(number)}、${text}`, faces(FONT.heading1), SIZE.body, TIGHT)],
  });
}

function bodyParagraph(text: string): Paragraph {
  const second = secondLevelHeading(text);
  const children = second
    ? [run(second.heading, faces(FONT.heading2), SIZE.body, TIGHT), ...(second.rest ? [bodyRun(second.rest)] : [])]
    : [bodyRun(text)];
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    spacing: ON_GRID,
    indent: FIRST_LINE_INDENT,
    // 22 lines on every page: widow control would push lines over and leave 21.
    widowControl: false,
    ...(second && !second.rest ? { keepNext: true, outlineLevel: 1 } : {}),
    children,
  });
}

/**
 * 发文机关署名 and 成文日期 (7.3.5.1): one blank line below the body, the date four characters in
 * from the right, the office centred over the date (never closer than two characters to the edge).
 */
function signature(officeText: string, isoDate: string): Paragraph[] {
  const office = singleLine(officeText);
  const date = documentDate(isoDate);
  const dateIndent = SIGNATURE.dateRightIndentChars;
  const officeIndent = Math.max(SIGNATURE.minOfficeRightIndentChars, dateIndent + (textWidth(date) - textWidth(office)) / 2);
  const line = (text: string, rightChars: number, before: number, keepNext: boolean) =>
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: { ...ON_GRID, before },
      indent: { right: chars(rightChars) },
      ...(keepNext ? { keepNext: true } : {}),
      keepLines: true,
      widowControl: false,
      children: [bodyRun(text)],
    });
  return office
    ? [line(office, officeIndent, LINE_PITCH, true), line(date, dateIndent, 0, false)]
    : [line(date, dateIndent, LINE_PITCH, false)];
}

/** "— 1 —": odd pages right, even pages left, one 四号 character in (7.5). */
function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const face = faces(FONT.pageNumber, FONT.pageNumber);
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: FOOTER.inset } : { left: FOOTER.inset },
        spacing: { line: FOOTER.line, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            font: face,
            size: SIZE.pageNumber,
            sizeComplexScript: SIZE.pageNumber,
            language: LANGUAGE,
          }),
        ],
      }),
    ],
  });
}

export async function renderReportDocx(report: DocxReport): Promise<Buffer> {
  // Headings are numbered in order among the sections that have one (an opening paragraph has none).
  const blocks: ({ heading: string; number: number } | { text: string })[] = [];
  let number = 0;
  for (const section of report.sections) {
    const heading = withoutNumber(singleLine(section.heading));
    if (heading) blocks.push({ heading, number: ++number });
    for (const text of paragraphsOf(section.body)) blocks.push({ text });
  }
  const children: Paragraph[] = [
    ...title(report.title),
    ...blocks.map((b) => ('heading' in b ? heading1(b.number, b.heading) : bodyParagraph(b.text))),
    ...signature(report.office, report.date),
  ];

  const document = new Document({
    title: singleLine(report.title),
    creator: singleLine(report.office),
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: { document: { run: NORMAL_RUN } },
      // The body's face, size, spacing and line height, so that text typed in Word matches it.
      paragraphStyles: [
        {
          id: 'Normal',
          name: 'Normal',
          run: NORMAL_RUN,
          paragraph: { alignment: AlignmentType.JUSTIFIED, spacing: ON_GRID },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.PORTRAIT },
            margin: { ...MARGIN, footer: FOOTER.distance, gutter: 0 },
          },
          // No grid (see LINE_PITCH and CHAR_SPACING); the pitch is kept for anyone turning it on.
          grid: { type: DocumentGridType.DEFAULT, linePitch: LINE_PITCH },
        },
        footers: { default: pageNumberFooter('odd'), even: pageNumberFooter('even') },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
