import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { chineseNumeral, documentDate, paragraphsOf } from '../services/reports/src/docx/chinese-text';
import { DocxReport, renderReportDocx } from '../services/reports/src/docx/render-docx';
import { libreOfficePrinter, LIBREOFFICE_MS, Printed } from './helpers/libreoffice';

/**
 * The work summary as a Word .docx laid out per GB/T 9704-2012: the XML Word reads (unzipped with
 * fflate, the zip library the docx package itself uses), then the document as LibreOffice opens
 * and prints it (soffice --convert-to pdf, read with poppler's pdftotext and pdfinfo).
 */
const run = promisify(execFile);
const ARTIFACTS = path.resolve(__dirname, 'artifacts');

const SUMMARY: DocxReport = {
  title: '第八师石河子市2024年“保护知识产权宣传周”活动工作总结',
  sections: [
    { heading: '', body: '为深入贯彻落实党中央、国务院关于知识产权工作的决策部署，现将我市2024年宣传周活动开展情况总结如下。' },
    {
      heading: '组织领导',
      body: '师市成立了以分管副市长为组长的宣传周活动领导小组，成员单位15家。\n（一）强化统筹协调。各成员单位按照职责分工，密切配合。',
    },
    {
      heading: '活动开展情况',
      body: '4月20日，在工人文化宫举办宣传周启动仪式暨万人签名活动，现场咨询群众3600余人，发放宣传资料3万余份。\n\n   \n　　4月26日，举办知识产权保护培训班，15家企业共计56人参加培训。',
    },
    { heading: '主要成效', body: '' },
    { heading: '几点体会', body: '（二）宣传形式要创新\n线上线下相结合，扩大了宣传覆盖面。' },
  ],
  office: '第八师石河子市整规办',
  date: '2024-04-30',
};

// ---------------------------------------------------------------- the XML Word reads

function unzip(docx: Buffer): Record<string, string> {
  const files = unzipSync(new Uint8Array(docx));
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

const unescapeXml = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The body's paragraphs: their XML and their text (every w:t, in order). */
function paragraphs(documentXml: string): { xml: string; text: string }[] {
  const body = documentXml.slice(documentXml.indexOf('<w:body>'), documentXml.indexOf('<w:sectPr'));
  return [...body.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map((m) => ({
    xml: m[1],
    text: [...m[1].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescapeXml(t[1])).join(''),
  }));
}

function attr(xml: string, element: string, name: string): string | undefined {
  const el = new RegExp(`<${element}\\b[^>]*>`).exec(xml)?.[0];
  return el ? new RegExp(`\\b${name}="([^"]*)"`).exec(el)?.[1] : undefined;
}

/** Every w:rFonts of the paragraph names this face in its East Asian slot. */
function eastAsiaFaces(xml: string): string[] {
  return [...xml.matchAll(/<w:rFonts\b[^>]*w:eastAsia="([^"]*)"/g)].map((m) => m[1]);
}

const TWIPS_PER_MM = 1440 / 25.4;

describe('the .docx Word reads', () => {
  let files: Record<string, string>;
  let doc: string;
  let paras: { xml: string; text: string }[];

  beforeAll(async () => {
    const docx = await renderReportDocx(SUMMARY);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'report-summary.docx'), docx);
    files = unzip(docx);
    doc = files['word/document.xml'];
    paras = paragraphs(doc);
  });

  test('A4 with the standard margins: 天头 37 mm, 订口 28 mm, a 156 × 225 mm text block', () => {
    expect(attr(doc, 'w:pgSz', 'w:w')).toBe('11906');
    expect(attr(doc, 'w:pgSz', 'w:h')).toBe('16838');
    const margin = (side: string) => Number(attr(doc, 'w:pgMar', `w:${side}`));
    expect([margin('top'), margin('bottom'), margin('left'), margin('right')]).toEqual([2098, 1984, 1587, 1474]);
    expect((11906 - margin('left') - margin('right')) / TWIPS_PER_MM).toBeCloseTo(156, 0);
    expect((16838 - margin('top') - margin('bottom')) / TWIPS_PER_MM).toBeCloseTo(225, 0);
  });

  test('the title: centred, 方正小标宋简体 in every slot, 二号 (22 pt = 44 half-points), one blank line below', () => {
    const title = paras[0];
    expect(title.text).toBe(SUMMARY.title);
    expect(attr(title.xml, 'w:jc', 'w:val')).toBe('center');
    expect(attr(title.xml, 'w:rFonts', 'w:eastAsia')).toBe('方正小标宋简体');
    expect(attr(title.xml, 'w:rFonts', 'w:ascii')).toBe('方正小标宋简体');
    expect(attr(title.xml, 'w:sz', 'w:val')).toBe('44');
    expect(attr(title.xml, 'w:spacing', 'w:after')).toBe('579');
  });

  test('headings numbered 一、二、… by position among the sections that have one, in 黑体 三号', () => {
    const headings = paras.filter((p) => eastAsiaFaces(p.xml).includes('黑体'));
    expect(headings.map((h) => h.text)).toEqual(['一、组织领导', '二、活动开展情况', '三、主要成效', '四、几点体会']);
    for (const h of headings) {
      expect(attr(h.xml, 'w:sz', 'w:val')).toBe('32');
      expect(attr(h.xml, 'w:outlineLvl', 'w:val')).toBe('0');
      expect(h.xml).toContain('<w:keepNext/>');
    }
  });

  test('the body: 仿宋_GB2312 三号 (32 half-points), first line in two characters, an exact 28.95 pt line, 28 characters a line', () => {
    const body = paras.find((p) => p.text.includes('3600余人'))!;
    expect(body).toBeDefined();
    expect(eastAsiaFaces(body.xml)).toEqual(['仿宋_GB2312']);
    expect(attr(body.xml, 'w:rFonts', 'w:ascii')).toBe('Times New Roman');
    expect(attr(body.xml, 'w:sz', 'w:val')).toBe('32');
    expect(attr(body.xml, 'w:lang', 'w:eastAsia')).toBe('zh-CN');
    expect(attr(body.xml, 'w:ind', 'w:firstLineChars')).toBe('200');
    expect(attr(body.xml, 'w:jc', 'w:val')).toBe('both');
    const line = Number(attr(body.xml, 'w:spacing', 'w:line'));
    expect(attr(body.xml, 'w:spacing', 'w:lineRule')).toBe('exact');
    expect(line / 20).toBeCloseTo(28.95, 2);
    // 22 lines fill the 225 mm block, a 23rd does not fit.
    expect(22 * line).toBeLessThanOrEqual(16838 - 2098 - 1984);
    expect(23 * line).toBeGreaterThan(16838 - 2098 - 1984);
    // 16 pt characters 0.25 pt tighter: 28 fit the 156 mm line, 29 do not.
    const spacing = Number(/<w:rPr>[\s\S]*?<w:spacing w:val="(-?\d+)"/.exec(body.xml)![1]);
    expect(spacing).toBe(-5);
    expect(28 * (320 + spacing)).toBeLessThanOrEqual(11906 - 1587 - 1474);
    expect(29 * (320 + spacing)).toBeGreaterThan(11906 - 1587 - 1474);
  });

  test('the Normal style carries the body (what Word gives text typed into the document)', () => {
    const normal = /<w:style w:type="paragraph" w:styleId="Normal"[\s\S]*?<\/w:style>/.exec(files['word/styles.xml'])![0];
    expect(attr(normal, 'w:rFonts', 'w:eastAsia')).toBe('仿宋_GB2312');
    expect(attr(normal, 'w:sz', 'w:val')).toBe('32');
    expect(attr(normal, 'w:spacing', 'w:line')).toBe('579');
  });

  test('a second-level heading （一） opens its paragraph in 楷体, the rest stays 仿宋', () => {
    const p = paras.find((x) => x.text.startsWith('（一）强化统筹协调。'))!;
    expect(eastAsiaFaces(p.xml)).toEqual(['楷体_GB2312', '仿宋_GB2312']);
    const own = paras.find((x) => x.text === '（二）宣传形式要创新')!;
    expect(eastAsiaFaces(own.xml)).toEqual(['楷体_GB2312']);
  });

  test('blank lines, blank bodies and typed indents leave no empty paragraph', () => {
    expect(paras.filter((p) => p.text.trim() === '')).toEqual([]);
    expect(paras.map((p) => p.text)).toContain('4月26日，举办知识产权保护培训班，15家企业共计56人参加培训。');
    // 三、主要成效 (empty body) is followed straight by the next heading.
    const i = paras.findIndex((p) => p.text === '三、主要成效');
    expect(paras[i + 1].text).toBe('四、几点体会');
  });

  test('ends with the office and the date in Arabic numerals, right-aligned, the date four characters in', () => {
    const [office, date] = paras.slice(-2);
    expect(office.text).toBe('第八师石河子市整规办');
    expect(date.text).toBe('2024年4月30日');
    for (const p of [office, date]) expect(attr(p.xml, 'w:jc', 'w:val')).toBe('right');
    expect(Number(attr(date.xml, 'w:ind', 'w:right'))).toBe(4 * 315);
    // The office is centred over the date: its right indent is the date's minus half the difference.
    expect(Number(attr(office.xml, 'w:ind', 'w:right'))).toBeLessThan(4 * 315);
    expect(attr(office.xml, 'w:spacing', 'w:before')).toBe('579');
  });

  test('page numbers "— n —" in 四号 SimSun, odd pages right and even pages left', () => {
    expect(files['word/settings.xml']).toContain('<w:evenAndOddHeaders/>');
    const rels = files['word/_rels/document.xml.rels'];
    const footer = (type: string) => {
      const id = new RegExp(`<w:footerReference w:type="${type}" r:id="(\\w+)"`).exec(doc)![1];
      const target = new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)![1];
      return files[`word/${target}`];
    };
    const odd = footer('default');
    const even = footer('even');
    for (const f of [odd, even]) {
      expect(f).toContain('<w:instrText xml:space="preserve">PAGE</w:instrText>');
      expect(f).toMatch(/<w:t xml:space="preserve">— <\/w:t>[\s\S]*PAGE[\s\S]*<w:t xml:space="preserve"> —<\/w:t>/);
      expect(attr(f, 'w:sz', 'w:val')).toBe('28');
      expect(attr(f, 'w:rFonts', 'w:eastAsia')).toBe('SimSun');
    }
    expect(attr(odd, 'w:jc', 'w:val')).toBe('right');
    expect(attr(odd, 'w:ind', 'w:right')).toBe('280');
    expect(attr(even, 'w:jc', 'w:val')).toBe('left');
    expect(attr(even, 'w:ind', 'w:left')).toBe('280');
  });
});

describe('text helpers', () => {
  test('heading numbers past ten and past a hundred', () => {
    expect([1, 10, 11, 15, 20, 21, 99, 100, 101, 110, 111, 200].map(chineseNumeral)).toEqual([
      '一', '十', '十一', '十五', '二十', '二十一', '九十九', '一百', '一百零一', '一百一十', '一百一十一', '二百',
    ]);
  });

  test('the date as GB/T 9704-2012 writes it, and nothing but a YYYY-MM-DD day accepted', async () => {
    expect(documentDate('2024-04-30')).toBe('2024年4月30日');
    expect(documentDate('2025-01-01')).toBe('2025年1月1日');
    await expect(renderReportDocx({ ...SUMMARY, date: '30.4.2024' })).rejects.toThrow(/YYYY-MM-DD/);
  });

  test('paragraphs: any line ending, blanks and ideographic indents trimmed, characters XML cannot hold dropped', () => {
    expect(paragraphsOf('甲\r\n\r\n　　乙 \r丙\n\u0000\u0007丁\uD800')).toEqual(['甲', '乙', '丙', '丁']);
  });
});

// ---------------------------------------------------------------- the document LibreOffice opens

let printer: Awaited<ReturnType<typeof libreOfficePrinter>>;

beforeAll(async () => {
  printer = await libreOfficePrinter();
});

afterAll(async () => {
  await printer?.close();
});

/** Prints with LibreOffice (test/helpers/libreoffice.ts) and keeps the PDF in test/artifacts. */
async function printWithLibreOffice(name: string, docx: Buffer): Promise<Printed> {
  const printed = await printer.print(name, docx);
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, `${name}.pdf`), await readFile(printed.pdf));
  return printed;
}

/** The lines of one page's text, page numbers left out. */
async function pageLines(pdf: string, page: number): Promise<string[]> {
  const { stdout } = await run('pdftotext', ['-f', String(page), '-l', String(page), '-layout', pdf, '-']);
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^—\s*\d+\s*—$/.test(l));
}

const PT_PER_MM = 72 / 25.4;

/** Where the page number ("—", "n", "—") is printed on a page, in PDF points from the top left. */
async function pageNumberBox(pdf: string, page: number) {
  const { stdout } = await run('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-']);
  const words = [...stdout.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5],
  }));
  const at = words.findIndex((w, i) => w.text === String(page) && words[i - 1]?.text === '—' && words[i + 1]?.text === '—');
  expect(at).toBeGreaterThan(0);
  const [left, , right] = words.slice(at - 1, at + 2);
  return { xMin: left.xMin, xMax: right.xMax, yMin: left.yMin, yMax: left.yMax };
}

describe('the .docx LibreOffice opens', () => {
  test(
    'prints A4 with the title, the numbered headings, the figures, the office and the date',
    async () => {
      const started = Date.now();
      const printed = await printWithLibreOffice('report-summary', await renderReportDocx(SUMMARY));
      console.log(`LibreOffice: first conversion (fresh profile) ${Date.now() - started} ms`);
      expect(printed.pageSize[0]).toBeCloseTo(595.3, 0); // 210 mm
      expect(printed.pageSize[1]).toBeCloseTo(841.9, 0); // 297 mm
      expect(printed.compact).toContain(SUMMARY.title);
      for (const h of ['一、组织领导', '二、活动开展情况', '三、主要成效', '四、几点体会']) expect(printed.compact).toContain(h);
      expect(printed.compact).toContain('现场咨询群众3600余人，发放宣传资料3万余份');
      expect(printed.compact).toContain('15家企业共计56人');
      expect(printed.compact).toMatch(/第八师石河子市整规办2024年4月30日—1—$/);
      expect(printed.pages).toBe(1);
    },
    LIBREOFFICE_MS,
  );

  test(
    '28 characters a line and 22 lines a page, page numbers on alternate sides',
    async () => {
      const started = Date.now();
      // No punctuation, so no line-breaking rule moves a character: every full line holds 28.
      const long = '知识产权保护宣传'.repeat(200);
      const printed = await printWithLibreOffice(
        'report-grid',
        await renderReportDocx({ title: '排版检查', sections: [{ heading: '正文', body: long }], office: '整规办', date: '2024-04-30' }),
      );
      console.log(`LibreOffice: a 3-page document ${Date.now() - started} ms`);
      expect(printed.pages).toBeGreaterThanOrEqual(3);
      const page2 = await pageLines(printed.pdf, 2);
      expect(page2).toHaveLength(22);
      for (const line of page2) expect(line.replace(/\s+/g, '')).toHaveLength(28);
      const page1 = await pageLines(printed.pdf, 1);
      // 排版检查, a blank line, 一、正文, then the paragraph: its first line indented two characters.
      expect(page1.slice(0, 2).map((l) => l.replace(/\s+/g, ''))).toEqual(['排版检查', '一、正文']);
      expect(page1[2].replace(/\s+/g, '')).toHaveLength(26);
      expect(page1).toHaveLength(21); // 22 lines: the title's blank line is the one not printed
      // "— 1 —" ends one character (14 pt) inside the right edge of the text block on page 1, and
      // "— 2 —" starts one character inside its left edge on page 2; both 7 mm below the block.
      const odd = await pageNumberBox(printed.pdf, 1);
      const even = await pageNumberBox(printed.pdf, 2);
      const [blockLeft, blockRight, blockBottom] = [28 * PT_PER_MM, (210 - 26) * PT_PER_MM, (37 + 225) * PT_PER_MM];
      expect(blockRight - odd.xMax).toBeCloseTo(14, -1);
      expect(even.xMin - blockLeft).toBeCloseTo(14, -1);
      expect(((odd.yMin + odd.yMax) / 2 - blockBottom) / PT_PER_MM).toBeCloseTo(7, 0);
    },
    LIBREOFFICE_MS,
  );

  test(
    'hostile text: XML specials, emoji, tabs, a 20,000-character paragraph and 200 sections still open',
    async () => {
      const started = Date.now();
      const specials = `<w:p>&amp; "quotes" 'single' ]]> <!-- x --> & < > ©™ 😀👍🏽 \u{20BB7}`;
      const huge = '知识产权'.repeat(4999) + '完';
      const sections = [
        { heading: specials, body: `${specials}\n前\t后\n${huge}` },
        ...Array.from({ length: 199 }, (_, i) => ({ heading: `第${i + 2}节 <&>`, body: i % 2 ? '' : `段落${i + 2}：3600余人 & "引号"` })),
      ];
      const docx = await renderReportDocx({ title: `标题 ${specials}\n第二行`, sections, office: `整规办 <&> "办"`, date: '2024-04-30' });
      const xml = unzip(docx)['word/document.xml'];
      // Checked as booleans: a failure should not print 200 KB of XML.
      expect(xml.includes('&lt;w:p&gt;&amp;amp; &quot;quotes&quot; &apos;single&apos; ]]&gt; &lt;!-- x --&gt;')).toBe(true);
      expect(xml.includes('<w:p>&amp;')).toBe(false);
      const printed = await printWithLibreOffice('report-hostile', docx);
      console.log(`LibreOffice: hostile document (${printed.pages} pages) ${Date.now() - started} ms`);
      expect(printed.pages).toBeGreaterThan(30);
      // Emoji need a font this machine may lack, so only the rest is looked for in the print.
      const printable = `<w:p>&amp;"quotes"'single']]><!--x-->&<>`;
      expect(printed.compact).toContain(`标题${printable}`);
      expect(printed.compact).toContain(`一、${printable}`);
      expect(printed.compact).toContain('第二行');
      expect(printed.compact).toContain('前后');
      expect(printed.compact).toContain(`${'知识产权'.repeat(20)}`);
      expect(printed.compact).toContain('知识产权完');
      expect(printed.compact).toContain('二、第2节<&>段落2：3600余人&"引号"');
      expect(printed.compact).toContain('一百零一、第101节<&>');
      expect(printed.compact).toContain('二百、第200节<&>');
      expect(printed.compact).toContain('整规办<&>"办"2024年4月30日');
    },
    LIBREOFFICE_MS,
  );
});
