import 'reflect-metadata';

export * from './config';
export * from './connection';
export * from './context';
export * from './database';
export * from './entity';
export * from './errors';
export * from './logger';
export * from './migrations';
export * from './scope';
export * from './scoped-data';
export * from './secrets';
export * from './subgraph';
export * from './token';
export * from './service';
export * from './internal-client';
