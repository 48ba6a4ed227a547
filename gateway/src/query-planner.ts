import type { UnifiedGraphHandler } from '@graphql-mesh/fusion-runtime';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The one dynamic import in @graphql-hive/router-runtime 1.4.23 (its CommonJS build). */
const DYNAMIC_IMPORT = 'await import(moduleName)';

/**
 * The Rust query planner (@graphql-hive/router-runtime, Hive Router's planner as a native
 * module) as the runtime's unifiedGraphHandler.
 *
 * Why it is not simply `require('@graphql-hive/router-runtime').unifiedGraphHandler`: that
 * module loads the native planner with a dynamic `import()`, which Jest (the test suite runs
 * the gateway in its own process) refuses without --experimental-vm-modules. So the module's
 * CommonJS build is evaluated here with that one `import()` read as `require()`, with a
 * `require` rooted at its own file: the same code and dependencies as a plain require, in
 * production and under Jest alike. If an upgrade changes that line the module is required as
 * it is (production is unaffected; the tests then say so at once).
 */
export function rustQueryPlanner(): UnifiedGraphHandler {
  loaded ??= load();
  return loaded;
}

let loaded: UnifiedGraphHandler | undefined;

function load(): UnifiedGraphHandler {
  const file = require.resolve('@graphql-hive/router-runtime');
  const source = readFileSync(file, 'utf8');
  if (!file.endsWith('.cjs') || source.split(DYNAMIC_IMPORT).length !== 2) {
    return (require('@graphql-hive/router-runtime') as { unifiedGraphHandler: UnifiedGraphHandler }).unifiedGraphHandler;
  }
  const module = { exports: {} as { unifiedGraphHandler: UnifiedGraphHandler } };
  const evaluate = new Function('exports', 'require', 'module', '__filename', '__dirname', source.replace(DYNAMIC_IMPORT, 'require(moduleName)'));
  evaluate(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports.unifiedGraphHandler;
}
