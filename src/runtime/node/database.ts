import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from './corpus-files.ts';

const MIGRATIONS = join(PROJECT_ROOT, 'drizzle');

/**
 * Opens (creating if needed) the SQLite file, in WAL mode, and applies the
 * committed drizzle-kit migrations. synchronous=NORMAL in WAL mode keeps
 * every committed transaction across a process crash; only an OS crash or
 * power loss can drop the last ones.
 */
export function openDatabase(file: string) {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite);
  migrate(db, { migrationsFolder: MIGRATIONS });
  return { db, sqlite, close: () => sqlite.close() };
}
