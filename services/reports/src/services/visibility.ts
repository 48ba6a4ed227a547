import { ScreenClaim, Scope } from '@cascade/kernel';
import { Report, SENT_UP } from '../entities';

/**
 * Who reads a report: its own tenant in every state; its ancestors once it was sent up
 * (SUBMITTED, RETURNED, ACCEPTED); nobody else — not root, not a big screen, never a sibling or
 * a descendant. The one place that says so (GraphQL, entity references and downloads use it).
 */
export function canRead(scope: Scope, screen: ScreenClaim | null | undefined, report: Report): boolean {
  if (screen || scope.isRoot || scope.isAnonymous) return false;
  if (report.tenantId === scope.tenantId) return true;
  return SENT_UP.includes(report.status) && report.tenantPath.startsWith(scope.tenantPath);
}
