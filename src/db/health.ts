import { DrizzleQueryError } from 'drizzle-orm';

/**
 * Whether the database takes writes: a write check for each driver (better-sqlite3 on Node, D1 on Workers),
 * which the readiness probe runs (src/web/readiness.ts), and `storageFailure`, which tells an error of the
 * storage (disk full, read-only, I/O, locked, unreachable) from an error of the request or of the code.
 */

/**
 * SQLite result codes, primary or extended, that say the storage failed rather than the statement: a full
 * disk or database, an unwritable or vanished file, an I/O error, a lock held past the busy timeout, a
 * damaged file.
 */
const STORAGE_CODE = /^SQLITE_(?:FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB|PROTOCOL|NOLFS)(?:_[A-Z_]+)?$/;

/** A SQLite code inside a message: D1 ends its messages with one ("database or disk is full: SQLITE_FULL"). */
const CODE_IN_MESSAGE = /\bSQLITE_[A-Z_]+/;

/**
 * What D1 says when its database is unreachable or being reset: the errors Cloudflare's D1 guide
 * ("Retry queries") names as transient, and its overload errors ("D1 DB is overloaded. …").
 */
const D1_UNAVAILABLE = /Network connection lost|storage caused object to be reset|reset because its code was updated|D1 DB is overloaded/;

/** The error and its causes, outermost first (drizzle wraps a D1 error in DrizzleQueryError, D1 wraps SQLite's). */
function* chain(error: unknown): Generator<{ code?: unknown; message: string }> {
  let e = error;
  for (let depth = 0; e instanceof Error && depth < 8; depth++) {
    // A failed query's message repeats its SQL and parameters (a user's question): only its cause speaks.
    yield { code: (e as { code?: unknown }).code, message: e instanceof DrizzleQueryError ? '' : e.message };
    e = e.cause;
  }
}

/** The SQLite code an error carries (better-sqlite3's `code`, or the one D1 writes into its message), if any. */
export function sqliteCode(error: unknown): string | undefined {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && e.code.startsWith('SQLITE_')) return e.code;
    const code = CODE_IN_MESSAGE.exec(e.message)?.[0];
    if (code) return code;
  }
  return undefined;
}

/**
 * Whether an error means the storage cannot serve, not that the request or the code is wrong: such a
 * request is answered 503 (try again later) rather than 500. Reads the error's causes too.
 *
 * @example
 * storageFailure(sqliteErrorFromAFullDisk) // true: SQLITE_FULL
 * storageFailure(uniqueConstraintError) // false: the statement, not the storage
 */
export function storageFailure(error: unknown): boolean {
  const code = sqliteCode(error);
  if (code) return STORAGE_CODE.test(code);
  for (const e of chain(error)) if (D1_UNAVAILABLE.test(e.message)) return true;
  return false;
}

/** A short name for an error, for logs and /readyz: its SQLite code, D1_UNAVAILABLE, or the error's name. */
export function errorCode(error: unknown): string {
  return sqliteCode(error) ?? (storageFailure(error) ? 'D1_UNAVAILABLE' : error instanceof Error ? error.name : 'unknown');
}

/**
 * The write both checks attempt and never keep: a conversation whose id is longer than two pages (SQLite's
 * and D1's default page is 4 KB), so that storing it needs new pages, as the next stored answer would.
 */
const PROBE_INSERT = 'INSERT INTO conversations (id) VALUES (?)';
const PROBE_ID = `readiness-probe:${'x'.repeat(8192)}`;

/** What the SQLite check needs of a connection; better-sqlite3's Database has it. */
export interface SqliteConnection {
  exec(sql: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown };
  readonly inTransaction: boolean;
}

/**
 * A write check for a SQLite connection; throws what SQLite throws. Inside a transaction that commits, it
 * stores the probe row and rolls back to a savepoint before it. Storing the row needs new pages, so a
 * database at its size limit refuses it (SQLITE_FULL). Rolling back to the savepoint restores the pages but
 * leaves them to be written, so the commit must write to the disk (the WAL) – which a full disk or an
 * unwritable file refuses. A transaction rolled back whole never reaches the disk and would miss that.
 * Nothing is kept; the WAL grows by a few pages until its next checkpoint.
 *
 * @example
 * readinessProbe({ database: sqliteWriteCheck(services.sqlite), ... })
 */
export function sqliteWriteCheck(sqlite: SqliteConnection): () => void {
  return () => {
    // (Outside the try: if a transaction were already open, its rollback is not ours to do.)
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      sqlite.exec('SAVEPOINT readiness');
      sqlite.prepare(PROBE_INSERT).run(PROBE_ID);
      sqlite.exec('ROLLBACK TO readiness');
      sqlite.exec('COMMIT');
    } catch (error) {
      // (SQLite may have rolled back already: a full database ends the transaction.)
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    }
  };
}

/** What the D1 check needs of a database; the Workers D1Database binding has it. */
export interface D1Connection<Statement> {
  prepare(sql: string): { bind(...values: unknown[]): Statement };
  batch(statements: Statement[]): Promise<unknown>;
}

/**
 * A write check for D1, which refuses BEGIN and SAVEPOINT; throws what D1 throws. One batch (one
 * transaction) stores the probe row twice: the second insert breaks the primary key, so D1 rolls the batch
 * back and nothing is kept. The first insert needs new pages, so a database at its size limit, unwritable or
 * unreachable fails there with its own error; only the primary-key error says the write was taken.
 *
 * @example
 * readinessProbe({ database: d1WriteCheck(env.DB), ... })
 */
export function d1WriteCheck<Statement>(d1: D1Connection<Statement>): () => Promise<void> {
  return async () => {
    const insert = d1.prepare(PROBE_INSERT).bind(PROBE_ID);
    try {
      await d1.batch([insert, insert]);
    } catch (error) {
      if (sqliteCode(error)?.startsWith('SQLITE_CONSTRAINT')) return;
      throw error;
    }
  };
}
