import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * org's audit_entries becomes the table every service now has (the kernel's audit-table.ts):
 * `created_at` with milliseconds (auditLog merges the services' entries by it), `changes` as
 * MEDIUMTEXT on MySQL, and the index the newest-first read walks. SQLite's column takes any
 * text already: rows written by its old default (seconds, "YYYY-MM-DD HH:MM:SS") get ".000",
 * so every value compares as the writer's format does.
 */
export class AuditEntriesShared1764900000000 implements MigrationInterface {
  name = 'AuditEntriesShared1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'mysql') {
      await queryRunner.query('ALTER TABLE `audit_entries` MODIFY `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), MODIFY `changes` MEDIUMTEXT NOT NULL');
    } else {
      await queryRunner.query(`UPDATE "audit_entries" SET "created_at" = "created_at" || '.000' WHERE length("created_at") = 19`);
    }
    await queryRunner.createIndex('audit_entries', new TableIndex({ name: 'IDX_audit_entries_at', columnNames: ['created_at', 'id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('audit_entries', 'IDX_audit_entries_at');
    if (queryRunner.connection.options.type === 'mysql') {
      await queryRunner.query('ALTER TABLE `audit_entries` MODIFY `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, MODIFY `changes` TEXT NOT NULL');
    }
  }
}
