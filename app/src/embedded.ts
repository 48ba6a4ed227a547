import { assertPortsFree, Config, createLogger, ensureDataDir, loadConfigOrExit, runProcess } from '@cascade/kernel';
import path from 'node:path';
import { createLiveScreenLink } from './demo/ceremony';
import { DEMO_PASSWORD } from './demo/org-demo';
import { demoSignIns, loadDemoData } from './demo/seed';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { startPlatform } from './platform';
import { serviceModules } from './services';

/**
 * `npm start`: every subgraph and the gateway in one process, on the embedded defaults
 * (SQLite under DATA_DIR, in-process bus, local disk), demo data on first start.
 * Start failures, signals and last-resort errors are handled by runProcess.
 */
runProcess('cascade', async () => {
  const started = Date.now();
  const config = loadConfigOrExit();
  // before any database is opened: a second start while the first runs stops here, data untouched
  await assertPortsFree(config.HOST, plannedPorts(config));
  ensureDataDir(config.DATA_DIR);
  // LOG_LEVEL as set; unset, warnings and errors only, so the start banner below stays readable
  const logger = createLogger('cascade', process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn');
  const platform = await startPlatform(config, logger);
  let demo = 'not loaded (DEMO_DATA=false)';
  let screenUrl: string | null = null;
  if (config.DEMO_DATA) {
    const loaded = await loadDemoData(platform.gateway.url, config.ROOT_ADMIN_EMAIL, config.ROOT_ADMIN_PASSWORD);
    demo = loaded ? 'loaded (first start)' : 'kept from an earlier start';
    // the screen link of the demo's live signature drive (npm run demo:ceremony), made once and kept with the data
    const screenFile = path.resolve(config.DATA_DIR, 'demo-screen-link.txt');
    if (loaded) {
      const url = await createLiveScreenLink(platform.gateway.url);
      if (url) writeFileSync(screenFile, url);
    }
    if (existsSync(screenFile)) screenUrl = readFileSync(screenFile, 'utf8').trim();
  }
  const lines = [
    '',
    `Cascade is ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  GraphQL endpoint   ${platform.gateway.url.replace('127.0.0.1', 'localhost')}`,
    `  database           ${config.DATABASE_URL ? config.DATABASE_URL.replace(/\/\/[^@]*@/, '//***@') : `SQLite under ${path.resolve(config.DATA_DIR)}`}`,
    `  event bus          ${config.REDIS_URL ? 'Redis' : 'in-process'}`,
    `  demo data          ${demo}`,
    `  root sign-in       ${config.ROOT_ADMIN_EMAIL} / ${rootPasswordLine(config)}`,
  ];
  if (screenUrl) {
    const base = platform.gateway.url.replace('127.0.0.1', 'localhost').replace(/\/graphql$/, '');
    lines.push(`  live screen        ${base}${screenUrl}`, '                     (npm run demo:ceremony plays a one-minute 万人签名 on it)');
  }
  if (config.DEMO_DATA) {
    lines.push('  demo sign-ins:');
    for (const s of demoSignIns()) lines.push(`    ${s.tenant.padEnd(10, '　')} ${s.role.padEnd(6)} ${s.email} / ${s.password}`);
    lines.push(...reportDownloadLines(platform.gateway.url.replace('127.0.0.1', 'localhost'), config));
  }
  process.stdout.write(lines.join('\n') + '\n\n');
  return platform;
});

/**
 * How to download the demo's one sent-up report (八师's 工作总结) as 兵团 reads it: sign in, read
 * the downloadUrl under `reporting`, fetch the .docx. Ready to paste; the URL is relative unless
 * PUBLIC_URL is set.
 */
function reportDownloadLines(graphqlUrl: string, config: Config): string[] {
  const post = (auth: string, query: string) => `curl -s ${graphqlUrl} -H 'content-type: application/json'${auth} -d '${JSON.stringify({ query })}'`;
  const signIn = `mutation { signIn(email: "admin@bingtuan.demo", password: "${DEMO_PASSWORD}") { token } }`;
  const reporting = '{ me { tenant { campaigns { reporting { report { downloadUrl } } } } } }';
  const origin = config.PUBLIC_URL ? '' : graphqlUrl.replace(/\/graphql$/, '');
  return [
    "  a report as .docx (八师's 工作总结, as 兵团 receives it):",
    `    T=$(${post('', signIn)} | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')`,
    `    U=$(${post(' -H "authorization: Bearer $T"', reporting)} | sed 's/.*"downloadUrl":"\\([^"]*\\)".*/\\1/')`,
    `    curl -s -o 八师工作总结.docx "${origin}$U"`,
  ];
}

/** The development default is shown so a first start can sign in; any other password never is. */
function rootPasswordLine(config: Config): string {
  if (process.env.ROOT_ADMIN_PASSWORD) return '(from ROOT_ADMIN_PASSWORD)';
  return config.NODE_ENV === 'development' ? config.ROOT_ADMIN_PASSWORD : `(not printed: NODE_ENV=${config.NODE_ENV})`;
}

/** The gateway's port and each subgraph's (SUBGRAPH_PORTS, +1, … in serviceModules order). */
function plannedPorts(config: Config) {
  const subgraphs = serviceModules.map((module, index) => ({
    port: config.SUBGRAPH_PORTS === 0 ? 0 : config.SUBGRAPH_PORTS + index,
    what: `${module.name} subgraph, SUBGRAPH_PORTS+${index}`,
  }));
  return [{ port: config.PORT, what: 'gateway, PORT' }, ...subgraphs];
}
