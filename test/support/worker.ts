import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, HOST } from '../../bench/server.ts';
import { applyLocalMigrations, ROOT, spawnWorkerDev } from '../../scripts/wrangler.ts';
import { loadConfig } from '../../src/config.ts';
import { buildWorkerArtifact, writeWorkerArtifact } from '../../src/runtime/node/worker-artifact.ts';

export interface RunningWorker {
  baseUrl: string;
  persistDir: string;
  output(): string;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** Runs a variant of wrangler.toml: this function rewrites its text (paths in it are made absolute first). */
  wranglerToml?: (text: string) => string;
}

/**
 * The Worker as `npm run worker:dev` runs it: a fresh artifact, the drizzle
 * migrations applied to a new local D1, and wrangler dev (workerd) on a free
 * loopback port; resolves once GET /healthz answers 200.
 */
export async function startWorker(vars: Record<string, string>, options: WorkerOptions = {}): Promise<RunningWorker> {
  writeWorkerArtifact(await buildWorkerArtifact(loadConfig({ EMBEDDINGS: 'local' })));
  const persistDir = mkdtempSync(join(tmpdir(), 'policy-worker-'));
  applyLocalMigrations(persistDir);
  const port = await freePort();
  let config: string | undefined;
  if (options.wranglerToml) {
    // The variant lives in the temporary folder, so the project's own paths in it must not be relative.
    config = join(persistDir, 'wrangler.toml');
    writeFileSync(config, options.wranglerToml(absolutePaths(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'))));
  }
  const child: ChildProcess = spawnWorkerDev({ port, host: HOST, persistDir, vars, config });
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-6000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000).then(() => child.kill('SIGKILL'))]);
    }
    rmSync(persistDir, { recursive: true, force: true });
  };
  const baseUrl = `http://${HOST}:${port}`;
  const deadline = performance.now() + 90_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return { baseUrl, persistDir, output: () => tail, stop };
    } catch {
      // workerd is not listening yet
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`wrangler dev did not serve /healthz:\n${tail}`);
}

/** wrangler.toml with its entry, artifact alias and migrations folder as absolute paths. */
function absolutePaths(text: string): string {
  let found = 0;
  const out = text.replace(/^(main|"policy-artifact"|migrations_dir) = "([^"]+)"/gm, (_, key: string, path: string) => {
    found++;
    return `${key} = ${JSON.stringify(join(ROOT, path))}`;
  });
  if (found !== 3) throw new Error(`wrangler.toml: expected main, the policy-artifact alias and migrations_dir, found ${found} of them`);
  return out;
}
