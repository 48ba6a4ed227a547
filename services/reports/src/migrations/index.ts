import { ReportsInitial1764700000000 } from './1764700000000-ReportsInitial';

export const reportsMigrations = [ReportsInitial1764700000000];
