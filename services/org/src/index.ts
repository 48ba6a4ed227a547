export { orgModule } from './schema';
export * from './entities';
