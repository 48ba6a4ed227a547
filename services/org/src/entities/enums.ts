import { registerEnumType } from 'type-graphql';

export enum TenantLevel {
  NATIONAL = 'NATIONAL',
  PROVINCE = 'PROVINCE',
  CITY = 'CITY',
  DISTRICT = 'DISTRICT',
  STREET = 'STREET',
}
registerEnumType(TenantLevel, { name: 'TenantLevel', description: 'Government level: 全国, 省/兵团, 市/师市, 区/县, 街镇' });

/** Depth order of levels: a child tenant sits at a deeper level than its parent. */
export const LEVEL_ORDER: TenantLevel[] = [
  TenantLevel.NATIONAL,
  TenantLevel.PROVINCE,
  TenantLevel.CITY,
  TenantLevel.DISTRICT,
  TenantLevel.STREET,
];

export enum Role {
  ADMIN = 'ADMIN',
  EDITOR = 'EDITOR',
  VIEWER = 'VIEWER',
}
registerEnumType(Role, { name: 'Role' });
