#!/usr/bin/env node
/**
 * npm run build: compiles the Node service to JavaScript in dist/node (tsconfig.build.json), so that it runs with
 * `node` alone — no TypeScript loader, no dev dependency — and copies the files the compiler does not (the HNSW
 * graph worker). Writes dist/node/.build-stamp last, so a half-finished build is never taken for a finished one.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, 'dist/node');
rmSync(out, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('编译失败（见上方 TypeScript 报错）。');
  process.exit(1);
}
for (const file of ['runtime/node/hnsw-graph-worker.mjs']) {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  copyFileSync(join(root, 'src', file), join(out, file));
}
writeFileSync(join(out, '.build-stamp'), `${new Date().toISOString()}\n`);
console.log('已编译到 dist/node（启动：npm start，或 node dist/node/runtime/node/main.js）。');
