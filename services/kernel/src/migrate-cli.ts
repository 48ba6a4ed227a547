import { Config, loadConfigOrExit } from './config';
import { openDatabase } from './database';
import { migrateDown, migrateUp, migrationStatus } from './migrate';
import { redactPasswords } from './process';
import type { ServiceModule } from './service';

export const MIGRATE_USAGE = 'usage: migrate up | down [--steps N | --all] | status';

export type MigrateCommand = { action: 'up' } | { action: 'status' } | { action: 'down'; steps: number | 'all' };

/** The command line after the service: `up`, `down [--steps N | --all]`, `status`; null when it is not one. */
export function parseMigrateArgs(args: string[]): MigrateCommand | null {
  const [action, ...rest] = args;
  if ((action === 'up' || action === 'status') && rest.length === 0) return { action };
  if (action !== 'down') return null;
  if (rest.length === 0) return { action, steps: 1 };
  if (rest.length === 1 && rest[0] === '--all') return { action, steps: 'all' };
  const steps = rest[0] === '--steps' && rest.length === 2 && /^[1-9][0-9]*$/.test(rest[1]) ? Number(rest[1]) : null;
  return steps === null ? null : { action, steps };
}

/**
 * Runs one migrate command on one service's database and returns what it printed. The
 * database is opened without touching its schema (`schema: 'none'`); `up` and `down` take
 * the migration lock (services/kernel/src/migrate.ts).
 */
export async function runMigrateCommand(module: ServiceModule, command: MigrateCommand, config: Config, print: (line: string) => void): Promise<void> {
  const dataSource = await openDatabase({ service: module.name, entities: module.entities, migrations: module.migrations, config, schema: 'none' });
  try {
    if (command.action === 'up') {
      const applied = await migrateUp(dataSource);
      for (const name of applied) print(`${module.name}: applied ${name}`);
      print(`${module.name}: up to date (${applied.length} applied)`);
    } else if (command.action === 'down') {
      const steps = command.steps === 'all' ? Number.MAX_SAFE_INTEGER : command.steps;
      const reverted = await migrateDown(dataSource, steps);
      for (const name of reverted) print(`${module.name}: reverted ${name}`);
      print(`${module.name}: ${reverted.length} reverted`);
    } else {
      const states = await migrationStatus(dataSource);
      for (const m of states) print(`${module.name}: ${m.applied ? 'applied' : 'pending'} ${m.name}`);
      const pending = states.filter((m) => !m.applied).length;
      print(`${module.name}: ${pending === 0 ? 'up to date' : `${pending} pending`}`);
    }
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Entry point of `node services/<service>/dist/migrate.js <command>` (the Kubernetes Job,
 * an operator): exit 0 when done, 1 when it failed (one line on stderr), 2 on a bad command.
 */
export function runMigrateCli(modules: ServiceModule[], args: string[]): void {
  const command = parseMigrateArgs(args);
  if (!command) {
    process.stderr.write(`${MIGRATE_USAGE}\n`);
    process.exit(2);
  }
  const config = loadConfigOrExit();
  (async () => {
    for (const module of modules) await runMigrateCommand(module, command, config, (line) => process.stdout.write(`${line}\n`));
  })().then(
    () => process.exit(0),
    (err) => {
      const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
      process.stderr.write(`migrate ${args.join(' ')} failed: ${redactPasswords(message)}\n`);
      process.exit(1);
    },
  );
}
