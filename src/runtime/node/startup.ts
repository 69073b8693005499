import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, loadConfig, parseDotenv, type Config } from '../../config.ts';
import { checkDataDir } from './data-dir.ts';

/**
 * The settings a Node entry point starts with: `defaults`, then a .env file in the working folder, then the
 * environment (each later one wins). A bad setting or an unusable DATA_DIR is one line in Chinese on stderr for the
 * operator (which variable, what it allows; which directory, why not) and exit 1 — never a stack trace, and before
 * the index or the database is written anywhere.
 *
 * @example
 * const config = startupConfig({ LOG_LEVEL: 'warn' });
 */
export function startupConfig(defaults: Record<string, string> = {}): Config {
  const fromFile = existsSync('.env') ? parseDotenv(readFileSync('.env', 'utf8')) : {};
  let config: Config;
  try {
    config = loadConfig({ ...defaults, ...fromFile, ...process.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const dataDirProblem = checkDataDir(config.DATA_DIR);
  if (dataDirProblem) {
    console.error(dataDirProblem);
    process.exit(1);
  }
  return config;
}
