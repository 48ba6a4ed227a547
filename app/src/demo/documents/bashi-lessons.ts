/**
 * 三、几点体会 of 第八师's 工作总结 (第一篇), as its authors wrote it: the part of a summary people
 * write by hand. The demo writes it into the generated report (updateReportSection) before the
 * report is submitted, as an office would. Shortened where the document quotes at length.
 */
export const BASHI_LESSONS = [
  '（一）领导重视，组织得力是开展保护知识产权宣传周活动取得实效的关键。师市领导对此项工作高度重视，认识明确，多次召开会议专门部署此项工作，特别是在近三年里，师市领导亲临一线指导开展保护产权宣传周活动，以确保师市保护知识产权工作的顺利实施。',
  '（二）步调一致，密切配合是开展保护知识产权宣传周活动取得实效的成功经验。保护知识产权工作涉及面广，情况复杂，在师市主管领导的安排下，由相关单位配合参与，师市整规办统一协调下进行的。经过历年不懈地努力工作，师市保护知识产权工作形成了“一家牵头，多家配合，协同作战”的成功经验。',
  '（三）措施得当，狠抓落实是开展保护知识产权宣传周活动取得实效的根本保证。开展保护知识产权宣传教育工作重在落实，为了确保各项工作落到实处，师市及相关单位都及时成立了领导小组，并从经费上给予一定帮助。在开展具体专项工作时，各牵头单位都制定了具体工作方案，并将开展保护知识产权宣传教育工作的落实作为重中之重，使师市保护知识产权宣传教育活动推向纵深发展。',
].join('\n');

/** Hand-written sections per demo campaign key (section key → body). */
export const HAND_WRITTEN_SECTIONS: Record<string, Record<string, string>> = {
  bashi: { lessons: BASHI_LESSONS },
};
