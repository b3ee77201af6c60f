import { DrizzleD1Database, SQLiteD1Session } from 'drizzle-orm/d1';
import { type BaseSQLiteDatabase, SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Bindings, Config } from '../env';
import { FIRST_PRIMARY, type SessionStart } from '../lib/bookmark';
import * as schema from './schema';

/**
 * The database every query function receives: what D1 and libSQL have in common, plus
 * `batch` (both engines run a batch as one implicit transaction). No `transaction()`: D1 has
 * no interactive transactions. `run()` results differ between the engines: read them only
 * through `affectedRows` (./result).
 */
export type Database = Omit<
  BaseSQLiteDatabase<'async', unknown, typeof schema>,
  'transaction' | 'query'
> &
  Pick<DrizzleD1Database<typeof schema>, 'batch'>;

export type Engine = 'd1' | 'libsql';

const dialect = new SQLiteAsyncDialect();

/**
 * A drizzle database over a D1 binding or one D1 session: what drizzle-orm/d1's drizzle()
 * builds (no logger, no cache), without the relational query builders (`db.query.*`): nothing
 * here uses them, and drizzle built one per table on every request (each request opens a
 * session): about 0.1 ms of a read's CPU.
 */
export function createDatabase(d1: D1Database | D1DatabaseSession): Database {
  // A D1 session has the prepare/batch surface drizzle uses.
  const session = new SQLiteD1Session(d1 as D1Database, dialect, undefined, {});
  const db = new DrizzleD1Database('async', dialect, session, undefined);
  return Object.assign(db, { $client: d1 }) as unknown as Database;
}

/** The database for one request or job, and the D1 bookmark to hand back to the client. */
export interface DatabaseHandle {
  db: Database;
  engine: Engine;
  /** The session's latest bookmark (D1 only; null before any query, and on libSQL). */
  bookmark(): string | null;
}

/**
 * libSQL when LIBSQL_URL is configured (libsql://, https:// or wss://: the Worker has no
 * file system), otherwise a D1 session that starts where `start` says.
 */
export async function openDatabase(
  env: Pick<Bindings, 'DB'>,
  config: Pick<Config, 'LIBSQL_URL' | 'LIBSQL_AUTH_TOKEN'>,
  start: SessionStart = FIRST_PRIMARY,
): Promise<DatabaseHandle> {
  if (config.LIBSQL_URL) {
    // Loaded on first use: a D1 deployment never evaluates the libSQL client.
    const { openLibsqlDatabase } = await import('./libsql');
    const db = openLibsqlDatabase(config.LIBSQL_URL, config.LIBSQL_AUTH_TOKEN);
    return { db, engine: 'libsql', bookmark: () => null };
  }
  // A binding without sessions (e.g. a stub in a document-only test) falls back to the primary.
  if (typeof env.DB?.withSession !== 'function') {
    return { db: createDatabase(env.DB), engine: 'd1', bookmark: () => null };
  }
  const session = env.DB.withSession(start);
  return { db: createDatabase(session), engine: 'd1', bookmark: () => session.getBookmark() };
}

export { schema };
