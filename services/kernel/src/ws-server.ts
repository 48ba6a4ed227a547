// graphql-ws publishes its server helper through package "exports" (graphql-ws/use/ws).
export { useServer } from 'graphql-ws/use/ws';
