import { type SQLWrapper, sql } from 'drizzle-orm';

/** D1 refuses a statement with more than this many bound parameters. */
export const MAX_BOUND_PARAMETERS = 100;

/** Splits `items` into runs of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be >= 1');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Splits `items` so that each statement binds at most MAX_BOUND_PARAMETERS: `perItem`
 * parameters per item plus `fixed` parameters the statement binds besides the list.
 */
export function chunkForParameters<T>(items: readonly T[], perItem: number, fixed = 0): T[][] {
  const size = Math.floor((MAX_BOUND_PARAMETERS - fixed) / perItem);
  if (size < 1) throw new RangeError('a single item needs more parameters than D1 allows');
  return chunk(items, size);
}

/**
 * `column in (ids)` with every id in one bound parameter (a JSON array read by json_each), so
 * a list of any length is one statement: the alternative to chunking for plain id lookups.
 */
export const inJsonArray = (column: SQLWrapper, ids: readonly string[]) =>
  sql`${column} in (select value from json_each(${JSON.stringify([...new Set(ids)])}))`;
