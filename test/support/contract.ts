/**
 * Helpers for the contract test (test/web/contract.test.ts): reading an OpenAPI 3.1 document generically (its
 * operations, `$ref`s, responses and SSE event descriptions), validating real responses against it with a third-party
 * validator (Ajv, JSON Schema 2020-12), and compiling a typed client generated from it (openapi-typescript,
 * openapi-fetch, tsc). Nothing here knows the service's routes: the document and the test's request table do.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

/** An OpenAPI document is JSON of any shape until checked: read as such. */
export type Json = any;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One operation of the document: `key` is `METHOD /path/{param}`, as the request table is keyed. */
export interface Operation {
  key: string;
  method: string;
  path: string;
  /** JSON pointer (without '#') to the operation object. */
  pointer: string;
  op: Json;
}

/** The name the whole document is registered under in Ajv: `${DOC_ID}#/components/schemas/X` is a schema. */
export const DOC_ID = 'openapi.json';

/** Escapes one JSON pointer segment. */
export const esc = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** The node at a local JSON pointer (`#/a/b` or `/a/b`), or undefined. */
export function atPointer(doc: Json, ref: string): Json {
  const pointer = ref.startsWith('#') ? ref.slice(1) : ref;
  if (pointer === '') return doc;
  let node = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Follows a chain of `$ref`s from a node at `pointer`: the node it ends at and that node's pointer. */
export function deref(doc: Json, node: Json, pointer: string): { node: Json; pointer: string } {
  for (let depth = 0; node && typeof node === 'object' && typeof node.$ref === 'string' && depth < 20; depth++) {
    pointer = node.$ref.slice(1);
    node = atPointer(doc, node.$ref);
  }
  return { node, pointer };
}

/** Every operation of the document, in document order. */
export function operationsOf(doc: Json): Operation[] {
  const ops: Operation[] = [];
  for (const [path, rawItem] of Object.entries<Json>(doc?.paths ?? {})) {
    const { node: item, pointer: itemPointer } = deref(doc, rawItem, `/paths/${esc(path)}`);
    for (const method of HTTP_METHODS) {
      if (item?.[method]) ops.push({ key: `${method.toUpperCase()} ${path}`, method, path, pointer: `${itemPointer}/${method}`, op: item[method] });
    }
  }
  return ops;
}

/** The label a failure names an operation by: its key and its operationId. */
export const labelOf = (op: Operation) => `${op.key} (operationId ${op.op.operationId ?? '—none—'})`;

/** Every `$ref` in the document with the pointer of the object holding it. */
function* refsIn(node: Json, pointer = ''): Generator<{ ref: unknown; at: string }> {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* refsIn(node[i], `${pointer}/${i}`);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref') yield { ref: value, at: pointer || '/' };
      else yield* refsIn(value, `${pointer}/${esc(key)}`);
    }
  }
}

/**
 * What makes the document structurally unfit as an OpenAPI 3.1 description: version, info, paths, unique operationIds,
 * resolvable local `$ref`s, a description on every response, declared path parameters. Empty when it is fit.
 */
export function structuralProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (typeof doc?.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi)) problems.push(`openapi is ${JSON.stringify(doc?.openapi)}, not 3.1.x`);
  if (typeof doc?.info?.title !== 'string' || typeof doc?.info?.version !== 'string') problems.push('info.title and info.version must be strings');
  if (!doc?.paths || typeof doc.paths !== 'object') problems.push('paths is missing');

  for (const { ref, at } of refsIn(doc)) {
    if (typeof ref !== 'string') continue; // (a property named "$ref" inside a schema's properties, say)
    if (!ref.startsWith('#')) problems.push(`${at}: $ref ${ref} is not local to the document`);
    else if (atPointer(doc, ref) === undefined) problems.push(`${at}: $ref ${ref} does not resolve`);
  }

  const ids = new Map<string, string[]>();
  for (const op of operationsOf(doc)) {
    const id = op.op.operationId;
    if (typeof id !== 'string' || !id) problems.push(`${op.key}: no operationId`);
    else ids.set(id, [...(ids.get(id) ?? []), op.key]);

    const responses = op.op.responses;
    if (!responses || typeof responses !== 'object' || !Object.keys(responses).length) problems.push(`${op.key}: no responses`);
    for (const [status, raw] of Object.entries<Json>(responses ?? {})) {
      if (!/^([1-5](\d\d|XX)|default)$/.test(status)) problems.push(`${op.key}: response key ${status} is not a status code`);
      const { node } = deref(doc, raw, '');
      if (typeof node?.description !== 'string') problems.push(`${labelOf(op)} response ${status}: no description`);
    }

    const declared = new Set(
      [...(deref(doc, atPointer(doc, op.pointer.replace(/\/[^/]+$/, '')), '').node?.parameters ?? []), ...(op.op.parameters ?? [])]
        .map((p: Json) => deref(doc, p, '').node)
        .filter((p: Json) => p?.in === 'path')
        .map((p: Json) => p.name),
    );
    for (const [, name] of op.path.matchAll(/\{([^}]+)\}/g)) {
      if (!declared.has(name)) problems.push(`${labelOf(op)}: path parameter {${name}} is not declared`);
    }
  }
  for (const [id, keys] of ids) if (keys.length > 1) problems.push(`operationId ${id} is used by ${keys.join(', ')}`);
  return problems;
}

/** Every place the document gives a schema, as JSON pointers: components, parameters, bodies, responses, SSE events. */
export function schemaPointers(doc: Json): string[] {
  const pointers: string[] = [];
  for (const name of Object.keys(doc?.components?.schemas ?? {})) pointers.push(`/components/schemas/${esc(name)}`);
  const media = (content: Json, at: string) => {
    for (const [type, m] of Object.entries<Json>(content ?? {})) {
      const base = `${at}/content/${esc(type)}`;
      if (m?.schema !== undefined) pointers.push(`${base}/schema`);
      if (m?.itemSchema !== undefined) pointers.push(`${base}/itemSchema`);
      for (const ext of SSE_EXTENSIONS) for (const event of Object.keys(m?.[ext] ?? {})) pointers.push(sseSchemaPointer(m[ext][event], `${base}/${esc(ext)}/${esc(event)}`));
    }
  };
  for (const op of operationsOf(doc)) {
    (op.op.parameters ?? []).forEach((p: Json, i: number) => {
      const { node, pointer } = deref(doc, p, `${op.pointer}/parameters/${i}`);
      if (node?.schema !== undefined) pointers.push(`${pointer}/schema`);
    });
    const body = deref(doc, op.op.requestBody, `${op.pointer}/requestBody`);
    if (body.node) media(body.node.content, body.pointer);
    for (const [status, raw] of Object.entries<Json>(op.op.responses ?? {})) {
      const res = deref(doc, raw, `${op.pointer}/responses/${esc(status)}`);
      media(res.node?.content, res.pointer);
    }
  }
  return [...new Set(pointers)];
}

/** Ajv (JSON Schema 2020-12, with formats) over the whole document, so its `#/components/...` refs resolve. */
export class DocumentValidator {
  private readonly ajv: InstanceType<typeof Ajv2020>;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(doc: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    // (A copy: Ajv keeps what it is given, and the test reads the document too.)
    this.ajv.addSchema(structuredClone(doc), DOC_ID);
  }

  /** The validator for the schema at a pointer of the document; throws what Ajv says when it does not compile. */
  compile(pointer: string): ValidateFunction {
    let fn = this.compiled.get(pointer);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${DOC_ID}#${pointer.split('/').map(encodeURIComponent).join('/')}` });
      this.compiled.set(pointer, fn);
    }
    return fn;
  }

  /** Ajv's errors for `data` against the schema at `pointer`, one line each; empty when it is valid. */
  errors(pointer: string, data: unknown): string[] {
    let fn: ValidateFunction;
    try {
      fn = this.compile(pointer);
    } catch (error) {
      return [`the schema #${pointer} does not compile: ${(error as Error).message}`];
    }
    return fn(data) ? [] : formatErrors(fn.errors ?? [], data);
  }
}

function formatErrors(errors: ErrorObject[], data: unknown): string[] {
  const lines = errors.slice(0, 12).map((e) => {
    const value = atPointer(data, e.instancePath);
    const shown = e.keyword === 'additionalProperties' ? '' : ` (value: ${truncate(JSON.stringify(value), 80)})`;
    return `${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)} [schema ${e.schemaPath}]${shown}`;
  });
  if (errors.length > 12) lines.push(`… and ${errors.length - 12} more`);
  return lines;
}

const truncate = (s: string | undefined, n: number) => (s === undefined ? 'undefined' : s.length > n ? `${s.slice(0, n)}…` : s);

/** One server-sent event as parsed from a stream: its name (`message` when not given) and its data lines joined. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Parses a `text/event-stream` body per the HTML spec (fields event, data, id; comments and retry ignored). */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n\n+/)) {
    if (!block.trim()) continue;
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (data.length) events.push({ event, data: data.join('\n'), ...(id === undefined ? {} : { id }) });
  }
  return events;
}

/** Extensions a `text/event-stream` media type may describe its events with: event name → schema of its `data`. */
export const SSE_EXTENSIONS = ['x-sse-events', 'x-events'] as const;

/** An event description may be the schema itself, or `{schema}` / `{data}` holding it. */
function sseSchemaPointer(described: Json, pointer: string): string {
  if (described && typeof described === 'object' && !('$ref' in described)) {
    if ('schema' in described) return `${pointer}/schema`;
    if ('data' in described && typeof described.data === 'object') return `${pointer}/data`;
  }
  return pointer;
}

/**
 * How a `text/event-stream` media type (at `pointer`) describes its events, or why it does not:
 * - `events`: event name → pointer of the schema its JSON `data` must match (`x-sse-events` or `x-events`);
 * - `item`: pointer of an OpenAPI 3.2 `itemSchema` that each event `{event, data, id?}` (data parsed as JSON) must match.
 */
export function sseDescription(media: Json, pointer: string): { events: Map<string, string> } | { item: string } | { problem: string } {
  for (const ext of SSE_EXTENSIONS) {
    const described = media?.[ext];
    if (described && typeof described === 'object' && Object.keys(described).length) {
      return { events: new Map(Object.keys(described).map((name) => [name, sseSchemaPointer(described[name], `${pointer}/${esc(ext)}/${esc(name)}`)])) };
    }
  }
  if (media?.itemSchema !== undefined) return { item: `${pointer}/itemSchema` };
  return {
    problem:
      `the document does not describe the events of this stream: its text/event-stream media type (${pointer}) has no ` +
      `${SSE_EXTENSIONS.join(' / ')} map (event name → schema of its data) and no itemSchema` +
      (media?.schema ? ` (its schema, ${truncate(JSON.stringify(media.schema), 120)}, says nothing of the events)` : ''),
  };
}

/** Converts a Hono route path (`/api/conversations/:id`, `/x/:id{[0-9]+}`) to OpenAPI syntax (`/api/conversations/{id}`). */
export const openApiPath = (honoPath: string) => honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, '{$1}');

/** What the app serves, as `METHOD /path/{param}` keys (middleware entries, method ALL, left out). */
export function servedRoutes(routes: ReadonlyArray<{ method: string; path: string }>): Set<string> {
  return new Set(routes.filter((r) => r.method !== 'ALL' && !r.path.includes('*')).map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`));
}

export interface ClientCompile {
  /** tsc's exit status (0: the usage file compiles against the generated types). */
  status: number | null;
  /** tsc's output, its paths pointing at the repository's usage file. */
  output: string;
  /** The generated types, for a failure message. */
  generated: string;
}

/** The line in the usage file that keeps the repository's own typecheck (which has no generated types) off it. */
const NOCHECK = /^\/\/ @ts-nocheck\b.*$/m;

/**
 * Generates TypeScript types from the document with openapi-typescript and compiles the usage file against them with
 * tsc, in a temporary directory: the usage file is copied there beside the generated `contract-openapi.ts` (which it
 * imports as `./contract-openapi.ts`), its `// @ts-nocheck` line blanked (line numbers kept), and `openapi-fetch`
 * mapped to the repository's copy.
 */
export async function compileClientUsage(doc: Json, usageFile: string, root: string): Promise<ClientCompile> {
  const dir = mkdtempSync(join(tmpdir(), 'contract-client-'));
  try {
    const generated = astToString(await openapiTS(structuredClone(doc) as OpenAPI3, { silent: true }));
    writeFileSync(join(dir, 'contract-openapi.ts'), generated);
    const usage = readFileSync(usageFile, 'utf8');
    if (!NOCHECK.test(usage)) throw new Error(`${usageFile} must start with a // @ts-nocheck line (see its header)`);
    writeFileSync(join(dir, 'usage.ts'), usage.replace(NOCHECK, '// (checked by the contract test)'));
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2023', 'DOM'],
        types: [],
        skipLibCheck: true,
        verbatimModuleSyntax: true,
        allowImportingTsExtensions: true,
        paths: { 'openapi-fetch': [resolve(root, 'node_modules/openapi-fetch')] },
      },
      files: ['usage.ts', 'contract-openapi.ts'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    const tsc = spawnSync(resolve(root, 'node_modules/.bin/tsc'), ['--noEmit', '--pretty', 'false', '-p', join(dir, 'tsconfig.json')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = `${tsc.stdout ?? ''}${tsc.stderr ?? ''}${tsc.error ? String(tsc.error) : ''}`
      .split(join(dir, 'usage.ts'))
      .join(usageFile)
      .split(join(dir, 'contract-openapi.ts'))
      .join('<generated>/contract-openapi.ts')
      .replace(/^usage\.ts/gm, usageFile)
      .replace(/^contract-openapi\.ts/gm, '<generated>/contract-openapi.ts');
    return { status: tsc.status, output, generated };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
