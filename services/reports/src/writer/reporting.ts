import { formatCount } from '@cascade/kernel';
import { oneLine } from './text';
import { SourceChild } from './types';

/**
 * 下级单位报送情况 (the 汇总 a level sends up): of the direct child tenants, which have reported
 * (已报送, 逾期 when after the due day), which not (未报送; 已逾期 once the due day has passed;
 * 已退回修改 when returned), which have no plan of their own (未制定方案). By tenant name, in the
 * order given.
 */
export function reportingBody(children: SourceChild[]): string {
  const reported: string[] = [];
  const notReported: string[] = [];
  const noPlan: string[] = [];
  for (const child of children) {
    const name = oneLine(child.tenantName) || '（未命名单位）';
    if (child.state === 'SUBMITTED' || child.state === 'ACCEPTED') {
      reported.push(child.late ? `${name}（逾期报送）` : name);
    } else if (child.state === 'NO_PLAN') {
      noPlan.push(name);
    } else {
      const notes = [child.state === 'RETURNED' ? '已退回修改' : '', child.late ? '已逾期' : ''].filter(Boolean);
      notReported.push(notes.length ? `${name}（${notes.join('，')}）` : name);
    }
  }
  const count = (n: number) => formatCount(n, false, '个');
  const parts = [
    reported.length ? `已报送${count(reported.length)}：${reported.join('、')}` : '',
    notReported.length ? `未报送${count(notReported.length)}：${notReported.join('、')}` : '',
    noPlan.length ? `未制定方案${count(noPlan.length)}：${noPlan.join('、')}` : '',
  ].filter(Boolean);
  return `${count(children.length)}下级单位中，${parts.join('；')}。`;
}
