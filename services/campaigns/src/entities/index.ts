import { AuditEntry } from '@cascade/kernel';
import { Activity, IndicatorTargetData } from './activity';
import { Campaign } from './campaign';
import { Slogan } from './slogan';
import { MAX_STATISTIC_VALUE, RollupTotal, Statistic, StatisticIncrement } from './statistic';
import { Task } from './task';

export type { IndicatorTargetData };
export { Activity, Campaign, MAX_STATISTIC_VALUE, RollupTotal, Slogan, Statistic, StatisticIncrement, Task };
export * from './enums';

/** Every entity of the campaigns service (the isolation test walks this list). */
export const campaignsEntities = [Campaign, Activity, Task, Slogan, Statistic, StatisticIncrement, RollupTotal, AuditEntry]; // AuditEntry: the kernel's, this service's audit trail
