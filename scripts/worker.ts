/**
 * npm run worker:dev | worker:deploy
 *
 * dev: builds the artifact, applies the migrations to the local D1 (in
 * WORKER_STATE_DIR, default .wrangler/state), and serves the Worker through
 * wrangler/workerd on PORT (default 8788), HOST (default 127.0.0.1).
 * deploy: builds the artifact, applies the migrations to the account's D1,
 * and deploys (needs `wrangler login` or CLOUDFLARE_API_TOKEN, and the D1 id
 * in wrangler.toml).
 */
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { buildWorkerArtifact, writeWorkerArtifact } from '../src/runtime/node/worker-artifact.ts';
import { applyLocalMigrations, ROOT, runWrangler, spawnWorkerDev, workerVars } from './wrangler.ts';

const command = process.argv[2];
if (command !== 'dev' && command !== 'deploy') {
  console.error('usage: tsx scripts/worker.ts dev|deploy');
  process.exit(2);
}

writeWorkerArtifact(await buildWorkerArtifact(loadConfig({ ...process.env, EMBEDDINGS: process.env.EMBEDDINGS ?? 'local' })));

if (command === 'dev') {
  const persistDir = process.env.WORKER_STATE_DIR ?? join(ROOT, '.wrangler/state');
  applyLocalMigrations(persistDir);
  const child = spawnWorkerDev({
    port: Number(process.env.PORT ?? 8788),
    host: process.env.HOST ?? '127.0.0.1',
    persistDir,
    vars: workerVars(process.env),
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  runWrangler(['d1', 'migrations', 'apply', 'DB', '--remote'], 'inherit');
  runWrangler(['deploy'], 'inherit');
}
