import type { Placeholder } from 'drizzle-orm';
import { type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Keyset } from '../lib/pagination';

/**
 * Rows after `position` in a newest-first (column, id) keyset order: strictly older, or as old
 * with a smaller id. No condition at all for the first page.
 */
export const keysetBefore = (
  at: SQLiteColumn,
  id: SQLiteColumn,
  position: Keyset | { at: Placeholder; id: Placeholder } | null,
): SQL | undefined =>
  position ? sql`(${at}, ${id}) < (${position.at}, ${position.id})` : undefined;
