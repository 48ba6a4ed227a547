import { runMigrateCli } from '@cascade/kernel';
import { serviceModules } from './services';

/**
 * `node app/dist/migrate.js <service|all> up | down [--steps N | --all] | status`, also
 * `npm run migrate -- <service|all> …`: one command for every service's database (each
 * service's own `services/<service>/dist/migrate.js` is the same command for one). `all`
 * runs the services in order (`down`: in reverse).
 */
const [target, ...args] = process.argv.slice(2);
const names = serviceModules.map((m) => m.name);
if (target !== 'all' && !names.includes(target)) {
  process.stderr.write(`usage: migrate <${names.join('|')}|all> up | down [--steps N | --all] | status\n`);
  process.exit(2);
}
const chosen = target === 'all' ? (args[0] === 'down' ? [...serviceModules].reverse() : serviceModules) : serviceModules.filter((m) => m.name === target);
runMigrateCli(chosen, args);
