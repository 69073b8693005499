import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDataDir } from '../../src/runtime/node/data-dir.ts';

// Root (as these tests often run) may write anywhere permissions say it may not: the unwritable
// places here are the ones no permission opens – a path through a file, and Linux's /proc and /sys.

const base = mkdtempSync(join(tmpdir(), 'policy-datadir-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const onLinux = process.platform === 'linux';

describe('checkDataDir', () => {
  it('accepts a writable directory and leaves nothing in it', () => {
    const dir = join(base, 'existing');
    mkdirSync(dir);
    expect(checkDataDir(dir)).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('makes a missing directory, parents included', () => {
    const dir = join(base, 'new', 'nested', 'data');
    expect(checkDataDir(dir)).toBeNull();
    expect(existsSync(dir)).toBe(true);
  });

  it('refuses a file in place of the directory', () => {
    const file = join(base, 'a-file');
    writeFileSync(file, '');
    expect(checkDataDir(file)).toBe(`数据目录 ${file} 不是目录（已有同名文件）。`);
  });

  it('refuses a directory that would have to be made under a file, naming the file', () => {
    const file = join(base, 'file.txt');
    writeFileSync(file, '');
    const dir = join(file, 'sub', 'data');
    expect(checkDataDir(dir)).toBe(`数据目录 ${dir} 不存在且无法创建（${file} 是文件，不是目录）。`);
  });

  // (The reason differs with the user and the kernel: only its shape is checked.)
  it.runIf(onLinux)('refuses a directory that cannot be made, without hanging (Node 20 recursive mkdir loops on /proc)', () => {
    expect(checkDataDir('/proc/data')).toMatch(/^数据目录 \/proc\/data 不存在且无法创建（在 \/proc 下：.+，E[A-Z]+）。$/);
    expect(checkDataDir('/sys/policy-data')).toMatch(/^数据目录 \/sys\/policy-data 不存在且无法创建（在 \/sys 下：.+，E[A-Z]+）。$/);
  });

  it.runIf(onLinux)('refuses a directory that takes no file', () => {
    expect(checkDataDir('/sys')).toMatch(/^数据目录 \/sys 不可写（.+，E[A-Z]+）。$/);
    expect(checkDataDir('/proc')).toMatch(/^数据目录 \/proc 不可写（.+，E[A-Z]+）。$/);
  });

  it('resolves a relative path, so the message names where it looked', () => {
    const file = join(base, 'relative.txt');
    writeFileSync(file, '');
    expect(checkDataDir(relative(process.cwd(), file))).toBe(`数据目录 ${file} 不是目录（已有同名文件）。`);
  });
});
