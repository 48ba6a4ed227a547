export * from './client';
export * from './platform';
export * from './services';
export { composeFromSource, SUPERGRAPH_FILE } from './compose';
export { loadDemoData, demoSignIns } from './demo/seed';
