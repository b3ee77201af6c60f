import { type DrizzleD1Database, drizzle as drizzleD1 } from 'drizzle-orm/d1';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import * as schema from './schema';

/**
 * The database every query function receives: what D1 and libSQL have in common, plus
 * `batch` (both engines run a batch as one implicit transaction).
 */
export type Database = BaseSQLiteDatabase<'async', unknown, typeof schema> &
  Pick<DrizzleD1Database<typeof schema>, 'batch'>;

export function createDatabase(d1: D1Database | D1DatabaseSession): Database {
  // A D1 session has the prepare/batch surface drizzle uses.
  return drizzleD1(d1 as D1Database, { schema }) as unknown as Database;
}

export { schema };
