import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The only host the benchmark talks to. */
export const HOST = '127.0.0.1';

/** Settings the service reads from the environment; the child gets only the ones the benchmark sets. */
const CONFIG_KEYS = /^(OPENAI_\w*|PORT|HOST|DATA_DIR|CORPUS_DIR|PROMPTS_DIR|EMBEDDINGS|LLM_TIMEOUT_MS|RATE_LIMIT|ADMIN_TOKEN|ALLOWED_ORIGINS|TODAY|LOG_LEVEL|ANSWER_CACHE_SIZE)$/;

/**
 * The service's settings for a benchmark run: local embeddings, no model (so
 * nothing leaves the machine), no rate limit, no logging.
 */
export function benchSettings(root: string, dataDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    CORPUS_DIR: join(root, 'corpus'),
    PROMPTS_DIR: join(root, 'prompts'),
    EMBEDDINGS: 'local',
    RATE_LIMIT: '0',
    LOG_LEVEL: 'silent',
  };
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, HOST);
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

export interface RunningServer {
  port: number;
  baseUrl: string;
  /** Last lines the server wrote to stdout/stderr, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node --import tsx src/runtime/node/main.ts` in `root` on a free port
 * and resolves once GET /healthz answers 200 (rejects after `timeoutMs` or if
 * the process exits first).
 */
export async function startServer(
  root: string,
  settings: Record<string, string>,
  timeoutMs = 30_000,
): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!CONFIG_KEYS.test(key)) env[key] = value;
  Object.assign(env, settings, { PORT: String(port), HOST: "127.0.0.1" });

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never leave the server behind, whatever ends this process.
  const killOnExit = () => killIfRunning(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const server: RunningServer = {
    port,
    baseUrl: `http://${HOST}:${port}`,
    output: () => tail,
    async stop(graceMs = 6_000) {
      process.removeListener('exit', killOnExit);
      if (!isRunning(child)) return;
      child.kill('SIGTERM');
      const timer = sleep(graceMs).then(() => 'timeout' as const);
      if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') {
        killIfRunning(child, 'SIGKILL');
        await exited;
      }
    },
  };

  try {
    await waitForHealth(server.baseUrl, exited, timeoutMs);
  } catch (error) {
    await server.stop(1_000);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- server output ---\n${tail.trim()}`);
  }
  return server;
}

async function waitForHealth(baseUrl: string, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (gone) throw new Error('server exited before /healthz answered');
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`server did not answer GET /healthz with 200 within ${timeoutMs} ms`);
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function killIfRunning(child: ChildProcess, signal: NodeJS.Signals): void {
  if (isRunning(child)) child.kill(signal);
}
