import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// One core, thin adapters: only src/runtime/node may touch Node, its native
// packages or its HTTP server; only src/runtime/* may wire a runtime in.

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
}

const NODE_ONLY = /^(node:|better-sqlite3$|hnswlib-node$|@hono\/node-server|drizzle-orm\/better-sqlite3)/;
const files = sources(SRC).map((f) => ({ file: relative(SRC, f).replaceAll('\\', '/'), imports: importsOf(f) }));

describe('layering', () => {
  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.find((f) => f.file === 'runtime/node/database.ts')?.imports).toContain('better-sqlite3');
  });

  it('keeps Node, native packages and the Node HTTP server out of everything but src/runtime/node', () => {
    const offenders = files.filter((f) => !f.file.startsWith('runtime/node/')).flatMap((f) => f.imports.filter((i) => NODE_ONLY.test(i)).map((i) => `${f.file} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('keeps the domain folders free of runtime wiring: nothing outside src/runtime imports from it', () => {
    const offenders = files.filter((f) => !f.file.startsWith('runtime/')).flatMap((f) => f.imports.filter((i) => /(^|\/)runtime\//.test(i)).map((i) => `${f.file} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('keeps the Workers adapter off the Node adapter', () => {
    const offenders = files.filter((f) => f.file.startsWith('runtime/workers/')).flatMap((f) => f.imports.filter((i) => i.includes('/node/')).map((i) => `${f.file} → ${i}`));
    expect(offenders).toEqual([]);
  });
});
