import { createAuditEntriesTable } from '@cascade/kernel';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The feeds service's audit trail (the kernel's AuditEntry): written in the transaction of each write, read by org's auditLog. */
export class FeedsAuditEntries1764900000000 implements MigrationInterface {
  name = 'FeedsAuditEntries1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createAuditEntriesTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_entries');
  }
}
