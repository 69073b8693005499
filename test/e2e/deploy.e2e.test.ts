/**
 * The deployment files of docs/deploy.md, exercised: deploy/nginx.conf in a real nginx in front of the compiled
 * service (TRUST_PROXY=1: each client its own rate-limit bucket, a spoofed X-Forwarded-For no way out of it; answers
 * stream through; nginx's request id carried), and deploy/liaoning-policy.service checked by systemd-analyze and its
 * ExecStart run as systemd would run it (working directory, environment, stop signal).
 * Needs nginx and systemd-analyze (installed by .ci/run with Chromium).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { freePort } from './support/server.ts';
import { exited, tempDirs } from '../support/processes.ts';

const ROOT = join(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

const temp = tempDirs('policy-deploy-');
const tempDir = temp.make;


/** The unit's settings: its Environment= lines, its ExecStart, WorkingDirectory, KillSignal and TimeoutStopSec. */
function readUnit(text: string) {
  const values = (key: string) => [...text.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1].trim());
  return {
    env: Object.fromEntries(values('Environment').map((v) => v.split(/=(.*)/s).slice(0, 2) as [string, string])),
    execStart: values('ExecStart')[0].split(/\s+/),
    workingDirectory: values('WorkingDirectory')[0],
    killSignal: values('KillSignal')[0] as NodeJS.Signals,
    timeoutStopSec: Number(values('TimeoutStopSec')[0]),
  };
}

/** Starts the compiled service and resolves once it answers /healthz. */
async function startService(env: Record<string, string>, command = [process.execPath, 'dist/node/runtime/node/main.js']): Promise<{ child: ChildProcess; base: string }> {
  const port = env.PORT && env.PORT !== '0' ? Number(env.PORT) : await freePort();
  const child = spawn(command[0], command.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', TODAY: '2026-11-22', DATA_DIR: tempDir(), HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the service did not start');
}

/** A request from a given local source address (127.0.0.x: one client each). */
function from(localAddress: string, port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

beforeAll(() => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  temp.removeAll();
});

describe('deploy/nginx.conf in front of the service', () => {
  let nginxPort: number;
  let nginx: ChildProcess;

  beforeAll(async () => {
    const service = await startService({ TRUST_PROXY: '1', RATE_LIMIT: '2' });
    const servicePort = new URL(service.base).port;
    nginxPort = await freePort();
    const dir = tempDir();
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) mkdirSync(join(dir, sub));
    const snippet = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8')
      .replace('server 127.0.0.1:8787;', `server 127.0.0.1:${servicePort};`)
      .replace(/listen 80;/, `listen 127.0.0.1:${nginxPort};`);
    expect(snippet).toContain(`listen 127.0.0.1:${nginxPort};`);
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `worker_processes 1; daemon off; user root; pid ${dir}/nginx.pid; error_log ${dir}/logs/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
${snippet}
}
`,
    );
    const check = spawnSync('nginx', ['-t', '-p', dir, '-c', conf], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    nginx = spawn('nginx', ['-p', dir, '-c', conf], { stdio: ['ignore', 'inherit', 'inherit'] });
    children.push(nginx);
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${nginxPort}/healthz`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('nginx did not start');
  });

  it('gives each client behind the proxy its own rate-limit bucket, and a spoofed X-Forwarded-For no way out of it', async () => {
    const ask = (client: string, headers: Record<string, string> = {}) =>
      from(client, nginxPort, '/api/search?q=%E4%BF%A1%E7%94%A8%E4%BF%AE%E5%A4%8D', { headers });
    expect((await ask('127.0.0.2')).status).toBe(200);
    expect((await ask('127.0.0.2')).status).toBe(200);
    const third = await ask('127.0.0.2');
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body).error.message).toMatch(/[\u4e00-\u9fff]/);
    expect((await ask('127.0.0.2', { 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);
    // Another client, through the same nginx.
    expect((await ask('127.0.0.3')).status).toBe(200);
  });

  it('passes streamed answers through as they come, with nginx’s request id', async () => {
    const res = await from('127.0.0.4', nginxPort, '/api/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ question: '信用修复平均要几天？' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.body).toMatch(/event: token/);
    expect(res.body).toMatch(/event: done/);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    // Plain http: no HSTS.
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    if (nginx) await exited(nginx);
  });
});

describe('deploy/liaoning-policy.service', () => {
  const text = readFileSync(join(ROOT, 'deploy/liaoning-policy.service'), 'utf8');
  const unit = readUnit(text);

  it('is a unit systemd-analyze accepts without a warning', () => {
    const dir = tempDir();
    const file = join(dir, 'liaoning-policy.service');
    writeFileSync(file, text);
    const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    expect(verify.stderr.split('\n').filter((l) => l.includes('liaoning-policy.service'))).toEqual([]);
  });

  it('starts as its ExecStart with its environment, and stops on its KillSignal within TimeoutStopSec', async () => {
    expect(unit.execStart.slice(1)).toEqual(['dist/node/runtime/node/main.js']);
    expect(unit.killSignal).toBe('SIGTERM');
    // (The unit's folders are the installed ones; here the project folder stands in for WorkingDirectory.)
    expect(unit.workingDirectory).toBe('/opt/liaoning-policy');
    const { child, base } = await startService({ ...unit.env, PORT: '0', DATA_DIR: tempDir(), TRUST_PROXY: unit.env.TRUST_PROXY }, [process.execPath, ...unit.execStart.slice(1)]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    child.kill(unit.killSignal);
    expect(await exited(child)).toBe(0);
    // systemd waits TimeoutStopSec before SIGKILL: longer than the service waits for requests in flight.
    expect(loadConfig({ ...unit.env }).SHUTDOWN_TIMEOUT_MS).toBeLessThan(unit.timeoutStopSec * 1000);
  });
});
