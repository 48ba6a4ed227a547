import { tenantOwnedColumns, tenantOwnedIndices } from '@cascade/kernel';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The org schema, written with the Table API so it runs on SQLite and MySQL alike. */
export class OrgInitial1732780000000 implements MigrationInterface {
  name = 'OrgInitial1732780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'tenants',
        columns: [
          ...tenantOwnedColumns(),
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'code', type: 'varchar', length: '64', isNullable: true },
          { name: 'level', type: 'varchar', length: '16' },
          { name: 'parent_id', type: 'int', isNullable: true },
        ],
        indices: [...tenantOwnedIndices('tenants'), { name: 'IDX_tenants_parent_id', columnNames: ['parent_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          ...tenantOwnedColumns(),
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'password_hash', type: 'varchar', length: '255' },
        ],
        indices: [...tenantOwnedIndices('users'), { name: 'UQ_users_email', columnNames: ['email'], isUnique: true }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'units',
        columns: [...tenantOwnedColumns(), { name: 'name', type: 'varchar', length: '200' }],
        indices: tenantOwnedIndices('units'),
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'people',
        columns: [
          ...tenantOwnedColumns(),
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'title', type: 'varchar', length: '200', isNullable: true },
          { name: 'unit_id', type: 'int', isNullable: true },
        ],
        indices: [...tenantOwnedIndices('people'), { name: 'IDX_people_unit_id', columnNames: ['unit_id'] }],
        foreignKeys: [{ columnNames: ['unit_id'], referencedTableName: 'units', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'committees',
        columns: [...tenantOwnedColumns(), { name: 'name', type: 'varchar', length: '200' }],
        indices: tenantOwnedIndices('committees'),
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'committee_members',
        columns: [
          ...tenantOwnedColumns(),
          { name: 'committee_id', type: 'int' },
          { name: 'person_id', type: 'int' },
          { name: 'role', type: 'varchar', length: '50' },
          { name: 'position', type: 'int', default: 0 },
        ],
        indices: [
          ...tenantOwnedIndices('committee_members'),
          { name: 'IDX_committee_members_committee_id', columnNames: ['committee_id'] },
          { name: 'UQ_committee_members_committee_person', columnNames: ['committee_id', 'person_id'], isUnique: true },
        ],
        foreignKeys: [
          { columnNames: ['committee_id'], referencedTableName: 'committees', referencedColumnNames: ['id'] },
          { columnNames: ['person_id'], referencedTableName: 'people', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['committee_members', 'committees', 'people', 'units', 'users', 'tenants']) {
      await queryRunner.dropTable(table);
    }
  }
}
