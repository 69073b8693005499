/**
 * The inner loop of a BM25 search, `scores[docs[i]] += idf · impacts[i]` over
 * one term's postings, and the arrays it runs over.
 *
 * Why a WebAssembly kernel: V8 (Node 20's TurboFan) compiles that loop well
 * only when the three typed arrays are constants of the function; passed in
 * or read from an object, every store to `scores` makes the optimized code
 * re-check each array's map, length and base pointer on the next iteration
 * (`node --print-opt-code` shows it), about three times the cost of a loop
 * over constant arrays; at scale that is most of a search (the measurements:
 * docs/benchmarks.md, 「其他测量」). In WebAssembly the arrays are
 * offsets into one linear memory and the loop is a load, a multiply, an add
 * and a store. The module is written out below opcode by opcode (no
 * toolchain) and does in IEEE arithmetic exactly what the JavaScript loop
 * does — same operations in the same order — so both give the same bits;
 * test/search/accumulate.test.ts holds them to it.
 *
 * Where WebAssembly cannot be compiled from bytes (Cloudflare Workers forbid
 * it), or the arrays would not fit in a 32-bit memory, the same arrays are
 * plain typed arrays and the loop runs in JavaScript.
 */
export interface PostingArrays {
  /** Which loop runs: the WebAssembly kernel or the JavaScript one. */
  readonly kernel: 'wasm' | 'js';
  /** Text ordinal of each posting. */
  readonly docs: Int32Array;
  /** Each posting's term weight before IDF. */
  readonly impacts: Float32Array;
  /** One score per text, all 0 between searches. */
  readonly scores: Float64Array;
  /** scores[docs[i]] += idf · impacts[i] for start ≤ i < end. */
  accumulate(start: number, end: number, idf: number): void;
}

export interface PostingArraysOptions {
  /** 'js' forces the JavaScript loop; the default takes WebAssembly where it can be compiled. */
  kernel?: 'wasm' | 'js';
}

/**
 * Allocates the arrays for `postings` postings over `texts` texts.
 *
 * @example
 * const arrays = allocatePostings(3, 2);
 * arrays.docs.set([0, 1, 1]);
 * arrays.impacts.set([0.5, 0.5, 1]);
 * arrays.accumulate(0, 2, 2); // arrays.scores → [1, 1]
 */
export function allocatePostings(postings: number, texts: number, options: PostingArraysOptions = {}): PostingArrays {
  if (options.kernel !== 'js') {
    const arrays = wasmPostings(postings, texts);
    if (arrays) return arrays;
  }
  const docs = new Int32Array(postings);
  const impacts = new Float32Array(postings);
  const scores = new Float64Array(texts);
  return {
    kernel: 'js',
    docs,
    impacts,
    scores,
    accumulate: (start, end, idf) => accumulateInJs(scores, docs, impacts, start, end, idf),
  };
}

/** One function for every index (not a closure per index), so its speed does not depend on how many indexes exist. */
function accumulateInJs(scores: Float64Array, docs: Int32Array, impacts: Float32Array, start: number, end: number, idf: number): void {
  for (let i = start; i < end; i++) scores[docs[i]] += idf * impacts[i];
}

const PAGE = 65_536;
/** A 32-bit memory holds at most 65,536 pages (4 GiB). */
const MAX_PAGES = 65_536;

/** The part of the WebAssembly JavaScript API used here (the ES library typings this project compiles against leave it out). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;

function kernelModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(KERNEL) : null;
    } catch {
      // Cloudflare Workers refuse to compile WebAssembly from bytes at run time.
      compiled = null;
    }
  }
  return compiled;
}

/**
 * Lays the arrays out in one WebAssembly memory: scores at 0 (8-byte
 * aligned), then docs, then impacts; the memory is never grown, so the views
 * stay valid.
 */
function wasmPostings(postings: number, texts: number): PostingArrays | null {
  const docsAt = texts * 8;
  const impactsAt = docsAt + postings * 4;
  const pages = Math.max(1, Math.ceil((impactsAt + postings * 4) / PAGE));
  const module = pages <= MAX_PAGES ? kernelModule() : null;
  if (!wasm || !module) return null;
  let memory: { buffer: ArrayBuffer };
  try {
    memory = new wasm.Memory({ initial: pages, maximum: pages });
  } catch {
    // Address space for the memory could not be reserved: plain arrays still work.
    return null;
  }
  const instance = new wasm.Instance(module, { env: { memory } });
  const kernel = instance.exports.accumulate as (docs: number, impacts: number, scores: number, start: number, end: number, idf: number) => void;
  return {
    kernel: 'wasm',
    docs: new Int32Array(memory.buffer, docsAt, postings),
    impacts: new Float32Array(memory.buffer, impactsAt, postings),
    scores: new Float64Array(memory.buffer, 0, texts),
    accumulate: (start, end, idf) => kernel(docsAt, impactsAt, 0, start, end, idf),
  };
}

// WebAssembly binary encoding (https://webassembly.github.io/spec/core/binary/).
const I32 = 0x7f;
const F64 = 0x7c;
const op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f32Load: 0x2a,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Shl: 0x74,
  f64Add: 0xa0,
  f64Mul: 0xa2,
  f64PromoteF32: 0xbb,
  void: 0x40,
} as const;

/** Unsigned LEB128, the encoding of every count and index (all here are small and non-negative). */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => vec([...s].map((c) => [c.charCodeAt(0)]));
/** A memory access's alignment (log2 bytes) and offset 0. */
const memarg = (alignLog2: number) => [alignLog2, 0];

// Parameters: 0 docs, 1 impacts, 2 scores (byte offsets), 3 start, 4 end (posting ordinals), 5 idf.
// Locals: 6 at (byte offset of posting i, from start · 4), 7 stop (end · 4), 8 slot (address of scores[docs[i]]).
const [DOCS, IMPACTS, SCORES, START, END, IDF, AT, STOP, SLOT] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const body = [
  ...vec([[3, I32]]),
  op.block, op.void,
  op.localGet, START, op.localGet, END, op.i32GeU, op.brIf, 0,
  op.localGet, START, op.i32Const, 2, op.i32Shl, op.localSet, AT,
  op.localGet, END, op.i32Const, 2, op.i32Shl, op.localSet, STOP,
  op.loop, op.void,
  // slot = scores + docs[i] · 8
  op.localGet, SCORES,
  op.localGet, DOCS, op.localGet, AT, op.i32Add, op.i32Load, ...memarg(2),
  op.i32Const, 3, op.i32Shl, op.i32Add, op.localTee, SLOT,
  // *slot = *slot + idf · impacts[i], as the JavaScript `scores[doc] += idf * impacts[i]` computes it
  op.localGet, SLOT, op.f64Load, ...memarg(3),
  op.localGet, IDF,
  op.localGet, IMPACTS, op.localGet, AT, op.i32Add, op.f32Load, ...memarg(2), op.f64PromoteF32,
  op.f64Mul, op.f64Add, op.f64Store, ...memarg(3),
  // i++ while i < end
  op.localGet, AT, op.i32Const, 4, op.i32Add, op.localTee, AT,
  op.localGet, STOP, op.i32LtU, op.brIf, 0,
  op.end,
  op.end,
  op.end,
];

const KERNEL = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  // type 0: (i32 docs, i32 impacts, i32 scores, i32 start, i32 end, f64 idf) → ()
  ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [F64]]), ...vec([])]])),
  // import env.memory (limits: no maximum, at least 0 pages)
  ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]])),
  ...section(3, vec([[0]])),
  ...section(7, vec([[...name('accumulate'), 0x00, 0]])),
  ...section(10, vec([[...uleb(body.length), ...body]])),
]);
