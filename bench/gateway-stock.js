'use strict';
// A stock gateway in its own process, for bench/gateways.js: Hive Gateway's runtime with its
// defaults (JS query planner, or the Rust planner of @graphql-hive/router-runtime) or
// @apollo/gateway behind @apollo/server. Nothing of Cascade's gateway is used: no JWT check,
// no limits, no subscriptions. The one addition is what Cascade's subgraphs demand of any
// caller: the signed internal context on every subgraph call (HMAC over fixed claims and the
// call's body), signed here just before the fetch, as Cascade's gateway does.
//
//   KIND=hive-js|hive-rust|apollo PORT=… INTERNAL_SECRET=… CLAIMS='{"userId":…}' \
//   ORG_URL=… CAMPAIGNS_URL=… MEDIA_URL=… FEEDS_URL=… REPORTS_URL=… node bench/gateway-stock.js
const http = require('node:http');
const path = require('node:path');
const { readFileSync } = require('node:fs');
const { signInternalContext, INTERNAL_CONTEXT_HEADER } = require('@cascade/kernel');

const KIND = process.env.KIND;
const PORT = Number(process.env.PORT);
const SECRET = process.env.INTERNAL_SECRET;
const CLAIMS = JSON.parse(process.env.CLAIMS);
const supergraph = readFileSync(path.resolve(__dirname, '../schema/supergraph.graphql'), 'utf8');
const urls = Object.fromEntries(
  ['org', 'campaigns', 'media', 'feeds', 'reports'].map((name) => [name, process.env[`${name.toUpperCase()}_URL`]]).filter(([, url]) => url),
);

const sign = (body) => signInternalContext(CLAIMS, SECRET, body);

async function startHive(rust) {
  const { createGatewayRuntime } = require('@graphql-hive/gateway-runtime');
  const runtime = createGatewayRuntime({
    supergraph,
    transportEntries: Object.fromEntries(Object.entries(urls).map(([name, location]) => [name, { location }])),
    ...(rust ? { unifiedGraphHandler: require('@graphql-hive/router-runtime').unifiedGraphHandler } : {}),
    plugins: () => [
      {
        onFetch({ options, setOptions }) {
          setOptions({ ...options, headers: { ...options.headers, [INTERNAL_CONTEXT_HEADER]: sign(options.body) } });
        },
      },
    ],
    landingPage: false,
    logging: 'error',
  });
  await runtime.getSchema();
  const server = http.createServer(runtime);
  await new Promise((resolve) => server.listen(PORT, '127.0.0.1', resolve));
}

async function startApollo() {
  const { ApolloGateway, RemoteGraphQLDataSource } = require('@apollo/gateway');
  const { ApolloServer } = require('@apollo/server');
  const { startStandaloneServer } = require('@apollo/server/standalone');
  // the data source's own default fetcher (make-fetch-happen, as RemoteGraphQLDataSource builds it), plus the signature
  const makeFetchHappen = require(require.resolve('make-fetch-happen', { paths: [path.dirname(require.resolve('@apollo/gateway'))] }));
  const stockFetcher = makeFetchHappen.defaults({ maxSockets: Infinity, retry: false });
  const fetcher = (url, init) => stockFetcher(url, { ...init, headers: { ...init.headers, [INTERNAL_CONTEXT_HEADER]: sign(init.body) } });
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph,
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: urls[name] ?? url, fetcher }),
  });
  const server = new ApolloServer({ gateway, csrfPrevention: false, introspection: false });
  await startStandaloneServer(server, { listen: { port: PORT, host: '127.0.0.1' } });
}

// exit at once on SIGTERM (a --cpu-prof profile is written on exit); the runtimes' own handlers would leave the server up
process.once('SIGTERM', () => process.exit(0));

(KIND === 'apollo' ? startApollo() : startHive(KIND === 'hive-rust')).then(
  () => process.send?.('ready'),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
