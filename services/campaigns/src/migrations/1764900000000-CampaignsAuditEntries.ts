import { createAuditEntriesTable } from '@cascade/kernel';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The campaigns service's audit trail (the kernel's AuditEntry): written in the transaction of each write, read by org's auditLog. */
export class CampaignsAuditEntries1764900000000 implements MigrationInterface {
  name = 'CampaignsAuditEntries1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createAuditEntriesTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_entries');
  }
}
