import { OrgInitial1732780000000 } from './1732780000000-OrgInitial';

export const orgMigrations = [OrgInitial1732780000000];
