export * from './auth-plugin';
export * from './compose';
export * from './gateway';
export * from './limits';
export * from './error-codes-plugin';
export * from './multiplexer';
export * from './verified-tokens';
export * from './planner-errors';
