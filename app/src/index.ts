export * from './client';
export * from './platform';
export * from './services';
export { composeFromSource, PUBLIC_SCHEMA_FILE, SUPERGRAPH_FILE } from './compose';
export { loadDemoData, demoSignIns } from './demo/seed';
