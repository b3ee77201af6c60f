import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/**
 * Prefix search as a range, never LIKE: D1 refuses LIKE patterns over 50 bytes, a range has
 * no wildcards to escape, and it can use an index on the compared expression. Every text that
 * starts with the prefix sorts (binary collation) at or after it and before the prefix
 * followed by the largest code point, U+10FFFF.
 */
const startsWithRange = (value: SQL, prefix: SQL) =>
  sql`(${value} >= ${prefix} and ${value} < (${prefix} || char(1114111)))`;

/** `column` starts with `prefix`, exactly. */
export const startsWith = (column: SQLWrapper, prefix: string) =>
  startsWithRange(sql`${column}`, sql`${prefix}`);

/**
 * `column` starts with `prefix`, both folded by SQLite's lower() (ASCII letters only), the way
 * the lower(...) unique indexes fold them, so the comparison can use those indexes.
 */
export const startsWithIgnoringCase = (column: SQLWrapper, prefix: string) =>
  startsWithRange(sql`lower(${column})`, sql`lower(${prefix})`);
