import { Claims, Role, ROLE_RANK } from './context';
import { forbidden, unauthenticated } from './errors';

/**
 * The caller's tenancy, derived from the verified claims. The only place that answers
 * "which rows may this request read, which may it write".
 */
export class Scope {
  constructor(readonly claims: Claims) {}

  get isRoot(): boolean {
    return this.claims.root;
  }

  get isAnonymous(): boolean {
    return !this.claims.root && this.claims.userId === null;
  }

  /** Numeric id of the caller's tenant (throws for root and anonymous callers). */
  get tenantId(): number {
    this.requireMember();
    return Number(this.claims.tenantId);
  }

  get tenantPath(): string {
    this.requireMember();
    return this.claims.tenantPath as string;
  }

  requireSignedIn(): void {
    if (this.isAnonymous) throw unauthenticated();
  }

  /** A user of some tenant (not root, not anonymous). */
  requireMember(): void {
    this.requireSignedIn();
    if (this.claims.root || !this.claims.tenantId || !this.claims.tenantPath) {
      throw forbidden('The platform operator is a member of no tenant');
    }
  }

  requireRole(min: Role): void {
    this.requireMember();
    if (ROLE_RANK[this.claims.role as Role] < ROLE_RANK[min]) {
      throw forbidden(`Requires role ${min} or higher`);
    }
  }

  /**
   * The path prefix of readable rows, '' for "everything" (root on root-readable data),
   * or null for "nothing".
   */
  readPrefix(rootReadable: boolean): string | null {
    this.requireSignedIn();
    if (this.claims.root) return rootReadable ? '' : null;
    return this.claims.tenantPath;
  }

  /** May the caller read a row with this tenant path? */
  canRead(tenantPath: string, rootReadable: boolean): boolean {
    const prefix = this.readPrefix(rootReadable);
    return prefix !== null && tenantPath.startsWith(prefix);
  }

  /** Is this path the caller's tenant or below it (or is the caller root)? */
  isAtOrAbove(tenantPath: string): boolean {
    if (this.claims.root) return true;
    return !!this.claims.tenantPath && tenantPath.startsWith(this.claims.tenantPath);
  }
}
