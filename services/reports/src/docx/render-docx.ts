/** PLACEHOLDER (lead), to be replaced by the renderer's author: keeps the build green meanwhile. */
export interface DocxReport {
  title: string;
  sections: { heading: string; body: string }[];
  office: string;
  date: string;
}

export async function renderReportDocx(report: DocxReport): Promise<Buffer> {
  throw new Error(`docx renderer not written yet (${report.title})`);
}
