import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// One core, thin adapters: only src/runtime/node may touch Node, its native
// packages or its HTTP server; only src/runtime/* may wire a runtime in.
// And the layers stack: no module, and no folder of src/, reaches itself
// through its imports.

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * Every module a source text names: imports and re-exports, side-effect imports, type-only ones (a type is part of
 * the module graph: changing it changes its importers), `import('…')` calls and `import('…')` types. A dynamic import
 * of a computed name is kept as `import(…)`, which names no file, so the graph cannot miss it silently.
 */
function importsIn(text: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [name] = node.arguments;
      found.push(name && ts.isStringLiteralLike(name) ? name.text : 'import(…)');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('source.ts', text, ts.ScriptTarget.Latest));
  return found;
}

const NODE_ONLY = /^(node:|better-sqlite3$|hnswlib-node$|@hono\/node-server|drizzle-orm\/better-sqlite3)/;
const files = sources(SRC).map((f) => ({ file: relative(SRC, f).replaceAll('\\', '/'), imports: importsIn(readFileSync(f, 'utf8')) }));
const known = new Set(files.map((f) => f.file));

/** A relative import as a path under src/ (`answer/types.ts`); a package, or a computed name, is not a file here. */
const fileNamed = (from: string, name: string): string | undefined => (name.startsWith('.') ? posix.join(posix.dirname(from), name) : undefined);

/** The unit of the folder graph: the top folder of src/ a file is in, or the file itself at the top (`config.ts`). */
const folderOf = (file: string): string => file.split('/')[0];

type Graph = Map<string, Set<string>>;

const modules: Graph = new Map(files.map((f) => [f.file, new Set(f.imports.flatMap((i) => fileNamed(f.file, i) ?? []).filter((t) => known.has(t)))]));

/** Folder → folder, with the file imports that make each edge, to name them in a failure. */
const folderImports = new Map<string, Map<string, string[]>>();
for (const [file, targets] of modules) {
  for (const target of targets) {
    const [from, to] = [folderOf(file), folderOf(target)];
    if (from === to) continue;
    const edges = folderImports.get(from) ?? new Map<string, string[]>();
    edges.set(to, [...(edges.get(to) ?? []), `${file} → ${target}`]);
    folderImports.set(from, edges);
  }
}
const folders: Graph = new Map([...new Set(files.map((f) => folderOf(f.file)))].map((f) => [f, new Set(folderImports.get(f)?.keys())]));

/** The strongly connected parts of a graph (Tarjan): sets of nodes that all reach one another. */
function tangles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const part = stack.splice(stack.indexOf(node));
    if (part.length > 1 || graph.get(node)?.has(node)) found.push(part.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** The shortest way from `start` back to itself inside `part`, as the list of nodes passed, `start` at both ends. */
function loopThrough(graph: Graph, part: Set<string>, start: string): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (!part.has(next) || cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      if (next === start) {
        const path = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) path.unshift(at);
        return [start, ...path];
      }
      queue.push(next);
    }
  }
  return [start];
}

/** Each cycle of a graph, enough of them to pass through every node that is on one. */
function cycles(graph: Graph): string[][] {
  return tangles(graph).flatMap((part) => {
    const inPart = new Set(part);
    const covered = new Set<string>();
    const loops: string[][] = [];
    for (const node of part) {
      if (covered.has(node)) continue;
      const loop = loopThrough(graph, inPart, node);
      loop.forEach((n) => covered.add(n));
      loops.push(loop);
    }
    return loops;
  });
}

describe('layering', () => {
  it('reads every kind of import: static, type-only, side-effect, re-exports, import() calls and import() types', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "import 'c';",
      "export { d } from './d.ts';",
      "export type * from './e.ts';",
      "const f = await import('./f.ts');",
      'let g: import("./g.ts").G;',
      'const h = await import(name);',
    ].join('\n');
    expect(importsIn(text)).toEqual(['./a.ts', '../b.ts', 'c', './d.ts', './e.ts', './f.ts', './g.ts', 'import(…)']);
  });

  it('finds the source files and their imports, and every relative import names one of them', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.find((f) => f.file === 'runtime/node/database.ts')?.imports).toContain('better-sqlite3');
    const unresolved = files.flatMap((f) => f.imports.filter((i) => i.startsWith('import(') || (i.startsWith('.') && !known.has(fileNamed(f.file, i)!))).map((i) => `${f.file} → ${i}`));
    expect(unresolved).toEqual([]);
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

  it('has no import cycle between modules: no file reaches itself through its imports, type-only and dynamic ones included', () => {
    expect(cycles(modules).map((loop) => loop.join(' → '))).toEqual([]);
  });

  it('has no import cycle between the folders of src/: a folder imported by another imports nothing from it, even through a third', () => {
    const named = cycles(folders).map((loop) => loop.map((f, i) => (i ? `${f} (${folderImports.get(loop[i - 1])!.get(f)!.join(', ')})` : f)).join(' → '));
    expect(named).toEqual([]);
  });

  it('finds a cycle where there is one', () => {
    const graph: Graph = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a', 'd'])], ['d', new Set()], ['e', new Set(['e'])]]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c', 'a'], ['e', 'e']]);
  });
});
