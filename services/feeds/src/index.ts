export { feedsModule } from './schema';
export { FeedEntry } from './entities/feed-entry';
