import { oneLine } from './text';

/**
 * The name of what was done, from the campaign's title: the plan's wrapping goes ("关于印发《…》的通知",
 * "…实施方案"), "活动" is added when missing. "2024年第八师石河子市保护知识产权宣传周" →
 * "2024年第八师石河子市保护知识产权宣传周活动".
 */
export function campaignName(title: string, tenantName: string): string {
  let name = oneLine(title);
  for (let previous = ''; previous !== name; ) {
    previous = name;
    name = name
      .replace(/的通知$/, '')
      .replace(/^关于(印发|开展|组织开展|做好|举办|组织)?/, '')
      .replace(/^《(.*)》$/, '$1')
      .replace(/(总体|实施|活动|工作)?(方案|安排|计划)$/, (_, kind: string | undefined) => (kind === '活动' ? '活动' : ''))
      .replace(/工作总结$|总结$/, '')
      .trim();
  }
  if (!name) name = oneLine(tenantName);
  return name.endsWith('活动') ? name : `${name}活动`;
}

/** "2024年第八师石河子市保护知识产权宣传周活动工作总结". */
export function reportTitle(title: string, tenantName: string): string {
  return `${campaignName(title, tenantName)}工作总结`;
}
