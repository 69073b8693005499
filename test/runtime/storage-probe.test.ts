import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrizzleQueryError } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { migrate } from 'drizzle-orm/d1/migrator';
import { Miniflare } from 'miniflare';
import { longStoredMessage } from '../support/stored-message.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { d1WriteCheck, errorCode, sqliteCode, sqliteWriteCheck, storageFailure } from '../../src/db/health.ts';
import { conversations } from '../../src/db/schema.ts';
import { ConversationStore } from '../../src/db/store.ts';
import { openDatabase } from '../../src/runtime/node/database.ts';

const ROOT = join(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'policy-probe-'));
  dirs.push(dir);
  return dir;
}

/** A SQLite file as the Node runtime opens it (WAL, migrated), and its store wired as services.ts wires it. */
function nodeDatabase() {
  const database = openDatabase(join(tempDir(), 'policy.sqlite'));
  const store = new ConversationStore(database.db, { transaction: (work) => database.sqlite.transaction(work)(), defer: setImmediate });
  return { ...database, store };
}

/** Lets the database grow no further: what a disk with no room left does to every page SQLite must add. */
function fill(sqlite: ReturnType<typeof openDatabase>['sqlite']) {
  sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true })}`);
}


async function rejection(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('the SQLite write check', () => {
  it('takes a write on a healthy database and keeps nothing of it', () => {
    const { sqlite, close } = nodeDatabase();
    const pages = sqlite.pragma('page_count', { simple: true });
    expect(() => sqliteWriteCheck(sqlite)()).not.toThrow();
    expect(sqlite.prepare('SELECT count(*) AS n FROM conversations').get()).toEqual({ n: 0 });
    expect(sqlite.pragma('page_count', { simple: true })).toBe(pages);
    expect(sqlite.inTransaction).toBe(false);
    close();
  });

  it('is refused by a full database, as the next stored answer is; both are storage failures', async () => {
    const { sqlite, store, close } = nodeDatabase();
    await store.saveMessage(longStoredMessage('before'), true);
    fill(sqlite);

    const probed = await rejection(sqliteWriteCheck(sqlite));
    expect(sqliteCode(probed)).toBe('SQLITE_FULL');
    expect(storageFailure(probed)).toBe(true);
    expect(sqlite.inTransaction).toBe(false);

    const saved = await rejection(() => store.saveMessage(longStoredMessage('after'), true));
    expect(sqliteCode(saved)).toBe('SQLITE_FULL');
    expect(storageFailure(saved)).toBe(true);
    // Reads still work: only writes are refused.
    expect(await store.conversationExists('c-before')).toBe(true);
    close();
  });

  it('is refused when the disk cannot take the commit, which a transaction rolled back whole never notices', () => {
    const file = join(tempDir(), 'policy.sqlite');
    // ulimit -f stops the files growing past a few MB; with SIGXFSZ ignored, the write fails as on a full disk.
    const child = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 4000; exec "$0" --import tsx test/runtime/fixtures/wal-cannot-grow.ts "$1"`, process.execPath, file], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
    expect(result.refused).toMatch(/^SQLITE_(IOERR|FULL)\w* \(storage\)$/);
    expect(result.rolledBack).toBe('ok');
    expect(result.check).toBe(result.refused);
  });

  it('leaves a transaction it did not open to its owner', () => {
    const { sqlite, close } = nodeDatabase();
    sqlite.exec('BEGIN');
    sqlite.prepare('INSERT INTO conversations (id) VALUES (?)').run('kept');
    expect(() => sqliteWriteCheck(sqlite)()).toThrow(/within a transaction/);
    sqlite.exec('COMMIT');
    expect(sqlite.prepare('SELECT id FROM conversations').all()).toEqual([{ id: 'kept' }]);
    close();
  });
});

describe('storageFailure', () => {
  it("tells a constraint error (the request's) from a storage error", async () => {
    const { store, close } = nodeDatabase();
    await store.saveMessage(longStoredMessage('m1'), true);
    const duplicate = await rejection(() => store.saveMessage(longStoredMessage('m1'), false));
    expect(sqliteCode(duplicate)).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(storageFailure(duplicate)).toBe(false);
    expect(storageFailure(new Error('boom'))).toBe(false);
    expect(storageFailure(undefined)).toBe(false);
    close();
  });

  it("reads D1's errors inside drizzle's wrapper, by the SQLite code D1 writes into the message", () => {
    // The message workerd's D1 gave when its disk was full (a 16 MB tmpfs, filled).
    const full = new DrizzleQueryError('insert into "conversations" ("id", "created_at") values (?, ?)', ['c1', 0], new Error('database or disk is full: SQLITE_FULL'));
    expect(storageFailure(full)).toBe(true);
    expect(errorCode(full)).toBe('SQLITE_FULL');
    const unreachable = new DrizzleQueryError('select 1', [], new Error('D1_ERROR: Network connection lost.'));
    expect(storageFailure(unreachable)).toBe(true);
    expect(errorCode(unreachable)).toBe('D1_UNAVAILABLE');
  });

  it("ignores a storage code that only a failed query's parameters mention", () => {
    const constraint = new Error('D1_ERROR: UNIQUE constraint failed: messages.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)');
    const error = new DrizzleQueryError('insert into "messages" …', ['SQLITE_FULL 是什么意思？'], constraint);
    expect(storageFailure(error)).toBe(false);
    expect(errorCode(error)).toBe('SQLITE_CONSTRAINT');
  });
});

// A real D1 (workerd, local storage) through Miniflare. A full D1 cannot be made here without mounting a
// small file system: the runtime check of that path is the worker parity suite's.
describe('the D1 write check', () => {
  let mf: Miniflare;
  let migrated: D1Like;
  let empty: D1Like;
  type D1Like = Awaited<ReturnType<Miniflare['getD1Database']>>;

  beforeAll(async () => {
    mf = new Miniflare({ modules: true, script: 'export default { fetch: () => new Response(null) }', d1Databases: ['DB', 'EMPTY'] });
    [migrated, empty] = await Promise.all([mf.getD1Database('DB'), mf.getD1Database('EMPTY')]);
    await migrate(drizzle(migrated), { migrationsFolder: join(ROOT, 'drizzle') });
  });
  afterAll(() => mf?.dispose());

  it('takes a write on a migrated D1 database and keeps nothing of it', async () => {
    await expect(d1WriteCheck(migrated)()).resolves.toBeUndefined();
    expect(await drizzle(migrated).select().from(conversations).all()).toEqual([]);
  });

  it('is refused by a D1 database without the schema (a Worker deployed before its migrations)', async () => {
    const error = await rejection(d1WriteCheck(empty));
    expect(sqliteCode(error)).toBe('SQLITE_ERROR');
    expect(String(error)).toContain('no such table: conversations');
  });

  it("sees a request's D1 constraint error, wrapped by drizzle, as the request's", async () => {
    const db = drizzle(migrated);
    await db.insert(conversations).values({ id: 'd1' }).run();
    const error = await rejection(() => db.insert(conversations).values({ id: 'd1' }).run());
    expect(error).toBeInstanceOf(DrizzleQueryError);
    expect(sqliteCode(error)).toBe('SQLITE_CONSTRAINT');
    expect(storageFailure(error)).toBe(false);
  });
});
