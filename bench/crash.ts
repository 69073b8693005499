/**
 * Crash-durability check (`npx tsx bench/crash.ts [--seconds 10] [--clients 16] [--kill-after MS] [--keep]`).
 *
 * 1. Starts the real server (`node --import tsx src/runtime/node/main.ts`) as a
 *    child process on a free 127.0.0.1 port with a fresh DATA_DIR,
 *    RATE_LIMIT=0 and LOG_LEVEL=silent (bench/server.ts's benchSettings).
 * 2. `--clients` loops each POST /api/ask, one after another, every request
 *    starting a NEW conversation whose question carries a unique marker
 *    (「信用修复要多久？#<20 random digits>」). Every 200 whose whole JSON body
 *    arrived is recorded (marker, conversationId, messageId).
 * 3. At a random moment mid-load (between 25% and 85% of `--seconds`, or at
 *    `--kill-after` ms) the server gets SIGKILL, with requests in flight.
 * 4. The server is restarted on the same DATA_DIR and port, then:
 *    (a) every recorded 200's messageId is looked up in the messages table
 *        (better-sqlite3, read-only) with the right conversation and marker,
 *        and through GET /api/conversations/:id on the restarted server;
 *    (b) PRAGMA integrity_check must say 'ok' (and foreign_key_check nothing);
 *    (c) the restarted server answers GET /healthz and a new POST /api/ask,
 *        whose row is then visible too.
 * 5. Prints the figures; exits 1 on any acknowledged-but-missing row or any
 *    other failed check.
 *
 * The marker is decimal digits, not a UUID: the retriever ignores digit runs
 * of 7 or more (phone/ID numbers), while a hex UUID's letter/digit runs count
 * as unmatched content words and turn answerable questions into
 * `no_evidence` declines. 20 digits is also longer than anything the
 * personal-data masking rewrites (11-digit mobiles, 18-character IDs), so the
 * stored question equals the one sent.
 *
 * `runCrashCheck` is also what test/crash.test.ts runs (with ~3 s of load);
 * `launchServer` is shared with bench/load.ts. Only 127.0.0.1 is contacted.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { benchSettings, freePort, HOST } from './server.ts';
import { log, runMain } from './stats.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Settings the service reads from the environment; the child gets only the ones set here (as in bench/server.ts). */
const CONFIG_KEYS = /^(OPENAI_\w*|PORT|HOST|DATA_DIR|CORPUS_DIR|PROMPTS_DIR|EMBEDDINGS|LLM_TIMEOUT_MS|RATE_LIMIT|ADMIN_TOKEN|ALLOWED_ORIGINS|TODAY|LOG_LEVEL|ANSWER_CACHE_SIZE)$/;

/** What a contention problem in SQLite looks like in the server's output. */
export const BUSY_PATTERN = /SQLITE_BUSY|database is locked/g;

// ---------------------------------------------------------------------------
// The server as a child process

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  dataDir: string;
  /** Milliseconds from spawn to the first 200 from GET /healthz. */
  readyMs: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  /** The last ~16 KB the server wrote (stdout and stderr). */
  output(): string;
  /** Everything the server wrote, line by line, counted as it came: bytes, lines, SQLITE_BUSY matches, error-level lines. */
  scan(): { bytes: number; lines: number; busy: number; errorLines: number; errorSamples: string[] };
  /** Sends `signal` and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface LaunchOptions {
  root?: string;
  dataDir: string;
  /** Defaults to a free port. */
  port?: number;
  /** Added to benchSettings (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
  /** How long to wait for GET /healthz → 200. */
  healthTimeoutMs?: number;
  /** Called with the child as soon as it is spawned (tests use it to kill leftovers). */
  onSpawn?: (child: ChildProcess) => void;
}

/**
 * Spawns `node --import tsx src/runtime/node/main.ts` with bench/server.ts's
 * settings on 127.0.0.1 and resolves once GET /healthz answers 200. Unlike
 * bench/server.ts's startServer it exposes the process (to SIGKILL it) and
 * scans all of its output, not only the tail.
 */
export async function launchServer(options: LaunchOptions): Promise<ServerProcess> {
  const root = options.root ?? ROOT;
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!CONFIG_KEYS.test(key)) env[key] = value;
  Object.assign(env, benchSettings(root, options.dataDir), options.env ?? {}, { PORT: String(port), HOST });

  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onSpawn?.(child);
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      done({ code, signal });
    }),
  );

  let tail = '';
  const stats = { bytes: 0, lines: 0, busy: 0, errorLines: 0, errorSamples: [] as string[] };
  const partial = { stdout: '', stderr: '' };
  const scanLine = (line: string) => {
    stats.lines++;
    const busy = line.match(BUSY_PATTERN);
    if (busy) stats.busy += busy.length;
    if (/"level":"error"|\bError\b|SQLITE_/.test(line)) {
      stats.errorLines++;
      if (stats.errorSamples.length < 5) stats.errorSamples.push(line.slice(0, 300));
    }
  };
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    stats.bytes += chunk.length;
    tail = (tail + text).slice(-16_000);
    const lines = (partial[stream] + text).split('\n');
    partial[stream] = lines.pop() ?? '';
    for (const line of lines) scanLine(line);
  };
  child.stdout?.on('data', collect('stdout'));
  child.stderr?.on('data', collect('stderr'));
  const flush = () => {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (partial[stream]) scanLine(partial[stream]);
      partial[stream] = '';
    }
  };
  void exited.then(flush);

  const running = () => child.exitCode === null && child.signalCode === null;
  const server: ServerProcess = {
    child,
    port,
    baseUrl: `http://${HOST}:${port}`,
    dataDir: options.dataDir,
    readyMs: Number.NaN,
    exited,
    running,
    output: () => tail,
    scan: () => ({ ...stats, errorSamples: [...stats.errorSamples] }),
    async kill(signal) {
      if (running()) child.kill(signal);
      await exited;
    },
    async stop(graceMs = 6_000) {
      if (!running()) return void (await exited);
      child.kill('SIGTERM');
      const outcome = await Promise.race([exited.then(() => 'exited' as const), sleep(graceMs).then(() => 'timeout' as const)]);
      if (outcome === 'timeout') await server.kill('SIGKILL');
    },
  };

  try {
    await waitForHealth(server, options.healthTimeoutMs ?? 30_000);
  } catch (error) {
    await server.kill('SIGKILL');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- server output ---\n${tail.trim()}`);
  }
  server.readyMs = performance.now() - spawnedAt;
  return server;
}

async function waitForHealth(server: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!server.running()) throw new Error('server exited before GET /healthz answered');
    try {
      const res = await fetch(`${server.baseUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`server did not answer GET /healthz with 200 within ${timeoutMs} ms`);
}

// ---------------------------------------------------------------------------
// The crash check

/** Answerable questions (checked with a 20-digit marker appended); each request gets one plus its marker. */
export const CRASH_QUESTIONS = [
  '信用修复要多久？',
  '担保费补贴是多少？',
  '无还本续贷要提前多久向银行申请？',
  '企业被行政处罚了，怎么做信用修复？',
  '小微企业可以申请无还本续贷吗？',
  '中型企业能续贷吗',
  '单户500万元以下的担保业务，省财政补贴多少担保费？',
  '金融兴辽报名截止是哪天？',
  '找担保公司担保，担保费率太高了，政府有补贴吗',
  '信用修复一般多久能办好？',
];

/** 20 decimal digits from 64 random bits. */
export function newMarker(): string {
  return BigInt(`0x${randomBytes(8).toString('hex')}`).toString().padStart(20, '0');
}

export interface CrashOptions {
  /** Planned length of the load; the kill falls inside it. */
  seconds: number;
  clients: number;
  /** Milliseconds after the load starts to send SIGKILL; random in [25%, 85%] of `seconds` by default. */
  killAfterMs?: number;
  root?: string;
  healthTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Keep the data directory afterwards (it is kept anyway when the check fails). */
  keep?: boolean;
  log?: (line: string) => void;
  onSpawn?: (child: ChildProcess) => void;
}

export interface Acknowledged {
  marker: string;
  question: string;
  conversationId: string;
  messageId: string;
}

export interface CrashReport {
  dataDir: string;
  seconds: number;
  clients: number;
  firstStartMs: number;
  killedAfterMs: number;
  /** Requests started. */
  sent: number;
  /** 200s whose whole body arrived before the kill. */
  acknowledged: number;
  answerable: number;
  non200: Record<string, number>;
  /** Requests that failed on the network (the kill cut them, or a timeout). */
  failed: number;
  failureKinds: Record<string, number>;
  inFlightAtKill: number;
  exitSignal: string | null;
  /** Spawn → GET /healthz 200 on the same DATA_DIR after the kill. */
  restartMs: number;
  /** SIGKILL → restarted server healthy. */
  downtimeMs: number;
  messagesRows: number;
  rowsFound: number;
  /** Acknowledged messageIds with no row. */
  missing: string[];
  /** Rows whose conversation or question marker is not the acknowledged one. */
  wrongRows: string[];
  /** Rows with no acknowledged 200 (committed, but the kill cut the response). */
  unacknowledgedRows: number;
  apiFound: number;
  apiMissing: string[];
  integrity: string;
  foreignKeyProblems: number;
  healthzAfterRestart: boolean;
  askAfterRestart: boolean;
  problems: string[];
  pass: boolean;
}

/** The whole kill -9 check; see the file comment. */
export async function runCrashCheck(options: CrashOptions): Promise<CrashReport> {
  const log = options.log ?? (() => {});
  const root = options.root ?? ROOT;
  const seconds = options.seconds;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const healthTimeoutMs = options.healthTimeoutMs ?? 30_000;
  const killAfterMs = Math.round(options.killAfterMs ?? seconds * 1000 * (0.25 + Math.random() * 0.6));
  const dataDir = mkdtempSync(join(tmpdir(), 'policy-crash-'));
  const servers: ServerProcess[] = [];
  let pass = false;

  try {
    const first = await launchServer({ root, dataDir, healthTimeoutMs, onSpawn: options.onSpawn });
    servers.push(first);
    log(`server up on ${first.baseUrl} in ${Math.round(first.readyMs)} ms (DATA_DIR ${dataDir})`);
    log(`load: ${options.clients} clients, POST /api/ask, new conversation each; SIGKILL after ${killAfterMs} ms of a planned ${seconds} s`);

    // -- load, then SIGKILL mid-way
    const acked: Acknowledged[] = [];
    const non200: Record<string, number> = {};
    const failureKinds: Record<string, number> = {};
    let sent = 0;
    let failed = 0;
    let answerable = 0;
    let inFlight = 0;
    let stop = false;
    let n = 0;
    const url = `${first.baseUrl}/api/ask`;
    const client = async () => {
      while (!stop) {
        const marker = newMarker();
        const question = `${CRASH_QUESTIONS[n++ % CRASH_QUESTIONS.length]}#${marker}`;
        sent++;
        inFlight++;
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ question }),
            signal: AbortSignal.timeout(requestTimeoutMs),
          });
          const text = await res.text();
          if (res.status === 200) {
            const body = JSON.parse(text) as { conversationId: string; messageId: string; answerable: boolean };
            acked.push({ marker, question, conversationId: body.conversationId, messageId: body.messageId });
            if (body.answerable) answerable++;
          } else {
            non200[res.status] = (non200[res.status] ?? 0) + 1;
          }
        } catch (error) {
          failed++;
          const kind = errorKind(error);
          failureKinds[kind] = (failureKinds[kind] ?? 0) + 1;
        } finally {
          inFlight--;
        }
      }
    };
    const loadStarted = performance.now();
    const clients = Array.from({ length: options.clients }, client);
    await sleep(killAfterMs);
    stop = true; // no new requests; the ones in flight meet the kill
    const inFlightAtKill = inFlight;
    const ackedAtKill = acked.length;
    first.child.kill('SIGKILL');
    const killedAt = performance.now();
    const { signal: exitSignal } = await first.exited;
    await Promise.all(clients);
    const killedAfterMs = Math.round(killedAt - loadStarted);
    log(
      `SIGKILL at ${killedAfterMs} ms: ${sent} sent, ${acked.length} acknowledged (${ackedAtKill} before the signal), ` +
        `${inFlightAtKill} in flight, ${failed} cut/failed; server exit signal ${exitSignal}`,
    );

    // -- restart on the same DATA_DIR and port
    const second = await launchServer({ root, dataDir, port: first.port, healthTimeoutMs, onSpawn: options.onSpawn });
    servers.push(second);
    const downtimeMs = Math.round(performance.now() - killedAt);
    log(`restarted in ${Math.round(second.readyMs)} ms (${downtimeMs} ms after SIGKILL)`);

    // -- (a) + (b): the SQLite file, read-only, next to the running server
    const db = new Database(join(dataDir, 'policy.sqlite'), { readonly: true, fileMustExist: true });
    let rowsFound = 0;
    const missing: string[] = [];
    const wrongRows: string[] = [];
    let messagesRows: number;
    let integrity: string;
    let foreignKeyProblems: number;
    try {
      const byId = db.prepare('SELECT conversation_id AS conversationId, question FROM messages WHERE id = ?');
      const conversation = db.prepare('SELECT 1 FROM conversations WHERE id = ?');
      for (const a of acked) {
        const row = byId.get(a.messageId) as { conversationId: string; question: string } | undefined;
        if (!row) {
          missing.push(a.messageId);
          continue;
        }
        rowsFound++;
        if (row.conversationId !== a.conversationId || !row.question.includes(`#${a.marker}`) || !conversation.get(a.conversationId)) {
          wrongRows.push(a.messageId);
        }
      }
      messagesRows = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
      foreignKeyProblems = (db.pragma('foreign_key_check') as unknown[]).length;
    } finally {
      db.close();
    }
    log(`SQLite: ${messagesRows} message rows; ${rowsFound} of ${acked.length} acknowledged found, ${missing.length} missing, ${wrongRows.length} wrong; integrity_check ${integrity}`);

    // -- (a) again, through the restarted server's API
    let apiFound = 0;
    const apiMissing: string[] = [];
    await eachLimit(acked, 8, async (a) => {
      const res = await fetch(`${second.baseUrl}/api/conversations/${encodeURIComponent(a.conversationId)}`, {
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const body = (await res.json()) as { messages?: Array<{ messageId: string; question: string }> };
      const found = res.status === 200 && body.messages?.some((m) => m.messageId === a.messageId && m.question.includes(`#${a.marker}`));
      if (found) apiFound++;
      else apiMissing.push(a.messageId);
    });
    log(`GET /api/conversations/:id: ${apiFound} of ${acked.length} found, ${apiMissing.length} missing`);

    // -- (c) the restarted server works
    const health = await fetch(`${second.baseUrl}/healthz`, { signal: AbortSignal.timeout(requestTimeoutMs) });
    const healthzAfterRestart = health.status === 200 && ((await health.json()) as { ok?: boolean }).ok === true;
    const marker = newMarker();
    const ask = await fetch(`${second.baseUrl}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: `${CRASH_QUESTIONS[0]}#${marker}` }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const asked = (await ask.json()) as { conversationId?: string; messageId?: string; answerable?: boolean };
    let askAfterRestart = false;
    if (ask.status === 200 && asked.conversationId && asked.messageId) {
      const res = await fetch(`${second.baseUrl}/api/conversations/${encodeURIComponent(asked.conversationId)}`, {
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const body = (await res.json()) as { messages?: Array<{ messageId: string }> };
      askAfterRestart = res.status === 200 && Boolean(body.messages?.some((m) => m.messageId === asked.messageId));
    }
    log(`after restart: GET /healthz ${health.status}, new POST /api/ask ${ask.status} (answerable ${asked.answerable}), its row ${askAfterRestart ? 'visible' : 'NOT visible'}`);

    const problems: string[] = [];
    if (acked.length === 0) problems.push('no request was acknowledged before the kill: nothing was checked');
    if (exitSignal !== 'SIGKILL') problems.push(`the server exited with ${exitSignal ?? 'a code'} before the SIGKILL landed`);
    if (missing.length) problems.push(`${missing.length} acknowledged messages missing from SQLite`);
    if (wrongRows.length) problems.push(`${wrongRows.length} rows with the wrong conversation or question`);
    if (apiMissing.length) problems.push(`${apiMissing.length} acknowledged messages missing from GET /api/conversations/:id`);
    if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
    if (foreignKeyProblems) problems.push(`${foreignKeyProblems} foreign-key violations`);
    if (!healthzAfterRestart) problems.push('GET /healthz failed after the restart');
    if (!askAfterRestart) problems.push('POST /api/ask (or reading its row back) failed after the restart');
    if (Object.keys(non200).length) problems.push(`non-200 responses before the kill: ${JSON.stringify(non200)}`);
    pass = problems.length === 0;

    return {
      dataDir,
      seconds,
      clients: options.clients,
      firstStartMs: Math.round(first.readyMs),
      killedAfterMs,
      sent,
      acknowledged: acked.length,
      answerable,
      non200,
      failed,
      failureKinds,
      inFlightAtKill,
      exitSignal,
      restartMs: Math.round(second.readyMs),
      downtimeMs,
      messagesRows,
      rowsFound,
      missing,
      wrongRows,
      unacknowledgedRows: messagesRows - rowsFound,
      apiFound,
      apiMissing,
      integrity,
      foreignKeyProblems,
      healthzAfterRestart,
      askAfterRestart,
      problems,
      pass,
    };
  } finally {
    for (const s of servers) await s.stop(3_000);
    if (pass && !options.keep) rmSync(dataDir, { recursive: true, force: true });
    else log(`data directory kept: ${dataDir}`);
  }
}

/** A short name for why a request failed: the undici cause's code, or the error's name. */
function errorKind(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  return e?.cause?.code ?? e?.code ?? e?.cause?.name ?? e?.name ?? 'unknown';
}

/** Runs `fn` over `items`, at most `limit` at once. */
async function eachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// ---------------------------------------------------------------------------
// CLI

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '10' },
      clients: { type: 'string', default: '16' },
      'kill-after': { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const int = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${raw}`);
    return n;
  };
  const seconds = int('seconds', values.seconds, 1, 600);
  return {
    seconds,
    clients: int('clients', values.clients, 1, 512),
    killAfterMs: values['kill-after'] === undefined ? undefined : int('kill-after', values['kill-after'], 1, seconds * 1000),
    keep: values.keep,
  };
}

async function main(): Promise<number> {
  const args = parseCli(process.argv.slice(2));
  const r = await runCrashCheck({ ...args, log });
  const rows: Array<[string, string]> = [
    ['requests sent', String(r.sent)],
    ['200s acknowledged', String(r.acknowledged)],
    ['  of which answerable', String(r.answerable)],
    ['cut / failed requests', `${r.failed} ${JSON.stringify(r.failureKinds)}`],
    ['non-200 responses', JSON.stringify(r.non200)],
    ['in flight at SIGKILL', String(r.inFlightAtKill)],
    ['SIGKILL after', `${r.killedAfterMs} ms`],
    ['first start', `${r.firstStartMs} ms`],
    ['time to restart', `${r.restartMs} ms (spawn → /healthz 200)`],
    ['downtime', `${r.downtimeMs} ms (SIGKILL → /healthz 200)`],
    ['message rows in SQLite', String(r.messagesRows)],
    ['acknowledged rows found', String(r.rowsFound)],
    ['missing (SQLite)', String(r.missing.length)],
    ['wrong conversation/marker', String(r.wrongRows.length)],
    ['committed, not acknowledged', String(r.unacknowledgedRows)],
    ['found via GET /api/conversations', String(r.apiFound)],
    ['missing (API)', String(r.apiMissing.length)],
    ['integrity_check', r.integrity],
    ['foreign_key_check problems', String(r.foreignKeyProblems)],
    ['/healthz after restart', r.healthzAfterRestart ? 'ok' : 'FAIL'],
    ['new /api/ask after restart', r.askAfterRestart ? 'ok' : 'FAIL'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  log();
  log('== crash check ==');
  for (const [k, v] of rows) log(`${k.padEnd(width)}  ${v}`);
  if (r.missing.length) log(`missing messageIds: ${r.missing.slice(0, 20).join(', ')}${r.missing.length > 20 ? ' …' : ''}`);
  log();
  log(r.pass ? 'PASS: no acknowledged answer was lost' : `FAIL: ${r.problems.join('; ')}`);
  return r.pass ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) runMain(main);
