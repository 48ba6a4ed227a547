import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Config } from './config';

export interface Secrets {
  jwtSecret: string;
  internalSecret: string;
}

/**
 * JWT_SECRET and INTERNAL_SECRET from the environment. In embedded mode, when they are
 * unset, random ones are made once and kept in DATA_DIR/secrets.json (so tokens survive a
 * restart). Production refuses to start without both (see parseConfig).
 */
export function resolveSecrets(config: Config): Secrets {
  if (config.JWT_SECRET && config.INTERNAL_SECRET) {
    return { jwtSecret: config.JWT_SECRET, internalSecret: config.INTERNAL_SECRET };
  }
  const file = path.resolve(config.DATA_DIR, 'secrets.json');
  let stored: Partial<Secrets> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8'));
  const secrets: Secrets = {
    jwtSecret: config.JWT_SECRET ?? stored.jwtSecret ?? randomBytes(32).toString('base64url'),
    internalSecret: config.INTERNAL_SECRET ?? stored.internalSecret ?? randomBytes(32).toString('base64url'),
  };
  if (stored.jwtSecret !== secrets.jwtSecret || stored.internalSecret !== secrets.internalSecret) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}
