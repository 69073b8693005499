/**
 * Running wrangler from this project: local D1 migrations and `wrangler dev`
 * (workerd) for `npm run worker:dev` and the Workers tests. Wrangler is told
 * not to send metrics and not to fetch Cloudflare's `Request.cf` sample, so
 * nothing leaves the machine.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');

/** Settings the Worker reads from its vars, passed through from this environment when set. */
const WORKER_SETTINGS = ['TODAY', 'RATE_LIMIT', 'ADMIN_TOKEN', 'ALLOWED_ORIGINS', 'LOG_LEVEL', 'ANSWER_CACHE_SIZE', 'LLM_TIMEOUT_MS', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_MODEL'] as const;

export function wranglerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
}

/** Runs a wrangler command to the end; throws with its output when it fails. */
export function runWrangler(args: string[], stdio: 'pipe' | 'inherit' = 'pipe'): void {
  // Piped, the migrations' confirmation is answered yes; inherited, the person at the terminal answers it.
  const result = spawnSync(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: wranglerEnv(), encoding: 'utf8', stdio, ...(stdio === 'pipe' ? { input: 'y\n' } : {}) });
  if (result.status !== 0) throw new Error(`wrangler ${args.slice(0, 3).join(' ')} failed${stdio === 'pipe' ? `:\n${result.stdout}\n${result.stderr}` : ''}`);
}

/** Applies the drizzle-kit migrations (./drizzle) to the local D1 database kept in `persistDir`. */
export function applyLocalMigrations(persistDir: string): void {
  runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistDir]);
}

export interface WorkerDevOptions {
  port: number;
  host: string;
  persistDir: string;
  vars: Record<string, string>;
  /** A wrangler config other than ./wrangler.toml (tests run variants of it). */
  config?: string;
  stdio?: 'inherit' | 'pipe';
}

/** Starts `wrangler dev`: the Worker in workerd on host:port, with the local D1 in `persistDir`. */
export function spawnWorkerDev(options: WorkerDevOptions): ChildProcess {
  const args = [WRANGLER, 'dev', '--port', String(options.port), '--ip', options.host, '--persist-to', options.persistDir, '--show-interactive-dev-session=false'];
  if (options.config) args.push('--config', options.config);
  for (const [name, value] of Object.entries(options.vars)) args.push('--var', `${name}:${value}`);
  return spawn(process.execPath, args, { cwd: ROOT, env: wranglerEnv(), stdio: ['ignore', options.stdio ?? 'pipe', options.stdio ?? 'pipe'] });
}

/** The settings from `env` that the Worker should see. */
export function workerVars(env: NodeJS.ProcessEnv): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const name of WORKER_SETTINGS) if (env[name]) vars[name] = env[name]!;
  return vars;
}
