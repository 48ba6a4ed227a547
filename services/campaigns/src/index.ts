export { campaignsModule } from './schema';
export * from './entities';
