#!/usr/bin/env node
/**
 * npm start: runs the compiled service (dist/node, from `npm run build`) in this very process, so a signal sent to
 * `npm start` reaches the server itself. On a fresh clone after `npm ci` (compiler installed) it builds first when the
 * build is missing or older than the sources. Without the compiler (`npm ci --omit=dev`) it runs the build it finds;
 * with none, it says so in one line and exits 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist/node/runtime/node/main.js');
const stamp = join(root, 'dist/node/.build-stamp');

/** The newest modification time of the sources the build compiles. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(?:ts|mjs)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const built = existsSync(stamp) && existsSync(entry) ? statSync(stamp).mtimeMs : 0;
const canBuild = existsSync(join(root, 'node_modules/typescript/bin/tsc'));
if (canBuild && (built === 0 || (existsSync(join(root, 'src')) && newestSource(join(root, 'src')) > built))) {
  console.error(built === 0 ? '首次启动，正在编译服务（npm run build）…' : '源代码有更新，正在重新编译（npm run build）…');
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(1);
} else if (built === 0) {
  console.error('未找到编译好的服务（dist/node）：请在装有开发依赖的环境运行 npm run build，再 npm start。');
  process.exit(1);
}
await import(pathToFileURL(entry).href);
