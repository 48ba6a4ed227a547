import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const LIBREOFFICE_MS = 180_000;

export interface Printed {
  text: string;
  /** The text without any whitespace (pdftotext breaks lines where the page does). */
  compact: string;
  pages: number;
  pageSize: [number, number];
  pdf: string;
}

/**
 * Opens a .docx with LibreOffice headless and prints it to PDF (soffice --convert-to pdf), read
 * back with poppler's pdftotext and pdfinfo. A profile of its own per printer, so parallel runs
 * (or an open LibreOffice) never share one. `close()` removes the work directory and profile.
 */
export async function libreOfficePrinter() {
  const workDir = await mkdtemp(path.join(tmpdir(), 'report-docx-'));
  const profile = `file:///tmp/lo-${randomBytes(8).toString('hex')}`;
  return {
    workDir,
    async print(name: string, docx: Buffer): Promise<Printed> {
      const file = path.join(workDir, `${name}.docx`);
      await writeFile(file, docx);
      await run('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', workDir, file], { timeout: LIBREOFFICE_MS - 10_000 });
      const pdf = path.join(workDir, `${name}.pdf`);
      // soffice exits 0 even when it could not open the file: no PDF is the failure
      await readFile(pdf);
      const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 });
      const { stdout: info } = await run('pdfinfo', [pdf]);
      const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
      return { text, compact: text.replace(/\s+/g, ''), pages: Number(/Pages:\s+(\d+)/.exec(info)![1]), pageSize: [Number(size[1]), Number(size[2])], pdf };
    },
    async close() {
      await rm(workDir, { recursive: true, force: true });
      await rm(profile.slice('file://'.length), { recursive: true, force: true });
    },
  };
}
