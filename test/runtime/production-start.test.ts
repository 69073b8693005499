/**
 * The production start: `npm run build` compiles the service to JavaScript that needs no dev dependency; `npm start`
 * runs it in its own process, so a SIGTERM to `npm start` stops the server after the requests in flight; settings come
 * from the environment, then `.env`; a bad setting is one line and exit 1; a client stalling mid-request gets 408.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDotenv } from '../../src/config.ts';
import { exited, tempDirs } from '../support/processes.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'dist/node/runtime/node/main.js');
const running: ChildProcess[] = [];

const temp = tempDirs('policy-start-');
const tempDir = temp.make;

/** Environment for a child: this one's, less what vitest and the tests' own settings add, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|TODAY|PORT|DATA_DIR|NODE_OPTIONS)/.test(k)));
  return { ...base, LOG_LEVEL: 'info', RATE_LIMIT: '0', ...env };
}

/** Starts a command and resolves with its port once it logs `listening`. */
function startServer(command: string, args: string[], env: Record<string, string>, cwd = ROOT): Promise<{ child: ChildProcess; port: number; log: () => string }> {
  const child = spawn(command, args, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line in time:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const port = /"event":"listening","port":(\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ child, port: Number(port), log: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${out}`));
    });
  });
}

/** Reads everything a socket sends until it closes. */
const readAll = (socket: Socket) =>
  new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  temp.removeAll();
});

describe('npm run build', () => {
  it('compiles to JavaScript that imports only runtime dependencies and Node built-ins', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const files = (readdirSync(join(ROOT, 'dist/node'), { recursive: true }) as string[]).filter((f) => /\.m?js$/.test(f));
    expect(files).toContain(join('runtime/node/main.js'));
    const bare = new Set<string>();
    for (const file of files) {
      const text = readFileSync(join(ROOT, 'dist/node', file), 'utf8');
      // Static and dynamic imports of packages (relative ones are the build's own files).
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"'.][^"']*)["']/g)) bare.add(m[1]);
      expect(text, file).not.toMatch(/from\s*["']\.[^"']*\.ts["']/);
    }
    const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    const notRuntime = [...bare].filter((spec) => !spec.startsWith('node:') && !builtinModules.includes(spec) && !(packageOf(spec) in pkg.dependencies));
    expect(notRuntime).toEqual([]);
  });
});

describe('npm start', () => {
  it('stops on SIGTERM after the request in flight is answered, refusing new connections meanwhile', async () => {
    const { child, port } = await startServer('npm', ['start'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir() });
    const body = Buffer.from(JSON.stringify({ question: '信用修复平均要几天？' }));
    const socket = connect(port, '127.0.0.1');
    const response = readAll(socket);
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /api/ask HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
    socket.write(body.subarray(0, 8));
    await new Promise((r) => setTimeout(r, 300));

    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(child.exitCode).toBeNull();
    expect(await refused(port)).toBe(true);

    socket.end(body.subarray(8));
    const text = await response;
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain('"answerable":true');
    expect(await exited(child)).toBe(0);
  }, 90_000);
});

describe('settings', () => {
  it('reads .env in the working folder for what the environment leaves unset', async () => {
    const cwd = tempDir();
    const links = `CORPUS_DIR=${join(ROOT, 'corpus')}\nPROMPTS_DIR=${join(ROOT, 'prompts')}\nDATA_DIR=${join(cwd, 'data')}\nHOST=127.0.0.1\n`;
    writeFileSync(join(cwd, '.env'), `# a comment\n${links}PORT="abc"\n`);
    const bad = spawnSync(process.execPath, [MAIN], { cwd, env: childEnv({}), encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('配置错误：PORT="abc" 无效，应为0–65535 的整数。');
    // The environment wins over the file.
    const { child } = await startServer(process.execPath, [MAIN], { PORT: '0' }, cwd);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 90_000);

  it('says each bad setting in one line, with what it allows, and exits 1', () => {
    const run = spawnSync(process.execPath, [MAIN], { cwd: tempDir(), env: childEnv({ TODAY: '2026-13-45', TRUST_PROXY: 'maybe', LOG_LEVEL: 'loud' }), encoding: 'utf8' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes('TODAY'))).toBe('配置错误：TODAY="2026-13-45" 无效，应为存在的日期（YYYY-MM-DD）。');
    expect(lines.find((l) => l.includes('LOG_LEVEL'))).toContain('debug、info、warn、error 或 silent');
    expect(lines.find((l) => l.includes('TRUST_PROXY'))).toContain('代理层数');
    expect(run.stderr).not.toMatch(/at .*\.(?:js|ts):\d+/);
  });

  it('parses TRUST_PROXY, dates that exist, and .env quoting', () => {
    expect(loadConfig({}).TRUST_PROXY).toEqual({ kind: 'off' });
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toEqual({ kind: 'hops', hops: 2 });
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).TRUST_PROXY).toEqual({ kind: 'list', addresses: ['127.0.0.1', '10.0.0.0/8', '::1'] });
    for (const bad of ['0.5', '11', '300.1.1.1', 'proxy.example.com']) expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
    for (const bad of ['2026-02-30', '2026-13-01', '20261201']) expect(() => loadConfig({ TODAY: bad }), bad).toThrow(ConfigError);
    expect(loadConfig({ TODAY: '2028-02-29' }).TODAY).toBe('2028-02-29');
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '60000' })).toThrow(/REQUEST_TIMEOUT_MS/);
    // An admin token a Bearer header cannot carry is refused at start, and the secret is not echoed.
    expect(loadConfig({ ADMIN_TOKEN: 'abc.DEF_123~+/-==' }).ADMIN_TOKEN).toBe('abc.DEF_123~+/-==');
    for (const bad of ['pass word', 'tok!en', '令牌', 'a=b']) {
      expect(() => loadConfig({ ADMIN_TOKEN: bad }), bad).toThrow(/^配置错误：ADMIN_TOKEN 无效，应为只能由字母、数字/);
    }
    expect(parseDotenv('export A=1\nB = "two words" \nC=\'x # y\'\nD=plain # note\n#E=5\nbroken line\n')).toEqual({ A: '1', B: 'two words', C: 'x # y', D: 'plain' });
  });
});

describe('a client that stalls', () => {
  it('is answered 408 in Chinese once REQUEST_TIMEOUT_MS has passed', async () => {
    const { child, port } = await startServer(process.execPath, [MAIN], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir(), REQUEST_TIMEOUT_MS: '1000' });
    const socket = connect(port, '127.0.0.1');
    const response = readAll(socket);
    await new Promise((r) => socket.once('connect', r));
    socket.write('POST /api/ask HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"question":');
    const text = await response;
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('请求发送超时');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 90_000);
});
