import { FeedsInitial1732800000000 } from './1732800000000-FeedsInitial';
import { ScreenLinks1732810000000 } from './1732810000000-ScreenLinks';

export const feedsMigrations = [FeedsInitial1732800000000, ScreenLinks1732810000000];
