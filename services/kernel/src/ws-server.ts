// graphql-ws publishes its server helper only through package "exports" (graphql-ws/use/ws),
// which this project's CommonJS module resolution cannot type; the types come from the file.
import type { useServer as UseServer } from 'graphql-ws/dist/use/ws';

// eslint-disable-next-line @typescript-eslint/no-var-requires
export const useServer: typeof UseServer = require('graphql-ws/use/ws').useServer;
