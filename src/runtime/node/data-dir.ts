import { mkdirSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Whether the service can keep its data (the SQLite file, the vector index) in `dir`, DATA_DIR: a
 * directory that exists or can be made, and that takes a file. Null when it can; else one line in Chinese
 * naming the directory and why not, to print before anything opens the database – which would otherwise
 * end in a stack trace, or hang: Node 20's recursive mkdir never returns for a path such as /proc/data.
 *
 * @example
 * const problem = checkDataDir(config.DATA_DIR);
 * if (problem) { console.error(problem); process.exit(1); }
 */
export function checkDataDir(dir: string): string | null {
  const path = resolve(dir);
  const found = look(path);
  if (typeof found === 'string') return `数据目录 ${path} 无法访问（${found}）。`;
  if (found && !found.isDirectory()) return `数据目录 ${path} 不是目录（已有同名文件）。`;
  if (!found) {
    const problem = makeDirectory(path);
    if (problem) return `数据目录 ${path} 不存在且无法创建（${problem}）。`;
  }
  const probe = join(path, `.write-check-${process.pid}`);
  try {
    // A few bytes, not an empty file: a full disk still has room for a name.
    writeFileSync(probe, 'ok');
  } catch (error) {
    return `数据目录 ${path} 不可写（${reason(error)}）。`;
  } finally {
    rmSync(probe, { force: true });
  }
  return null;
}

/** What is at `path`: its stats, undefined when nothing is (or a file stands in its way), else why it cannot be read. */
function look(path: string): Stats | undefined | string {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? undefined : reason(error);
  }
}

/** Makes `path` and its missing parents one by one (see checkDataDir on recursive mkdir); why not, if it cannot. */
function makeDirectory(path: string): string | undefined {
  const missing: string[] = [];
  let at = path;
  let found = look(at);
  while (found === undefined && dirname(at) !== at) {
    missing.unshift(at);
    at = dirname(at);
    found = look(at);
  }
  if (typeof found === 'string') return `${at}：${found}`;
  if (found && !found.isDirectory()) return `${at} 是文件，不是目录`;
  for (const directory of missing) {
    try {
      mkdirSync(directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return `在 ${dirname(directory)} 下：${reason(error)}`;
    }
  }
  return undefined;
}

const REASONS: Record<string, string> = {
  EACCES: '没有权限',
  EPERM: '不允许此操作',
  EROFS: '所在文件系统只读',
  ENOSPC: '磁盘空间已满',
  EDQUOT: '超出磁盘配额',
  // (mkdir where its parent exists: the file system takes no new entries there, as under /proc.)
  ENOENT: '该位置不能新建目录或文件',
  ENOTDIR: '路径中有一段不是目录',
  ENAMETOOLONG: '路径过长',
  ELOOP: '符号链接循环',
};

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${REASONS[code] ?? '系统错误'}，${code}` : String(error);
}
