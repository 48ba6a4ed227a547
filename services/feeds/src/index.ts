export { feedsModule } from './schema';
export * from './entities';
