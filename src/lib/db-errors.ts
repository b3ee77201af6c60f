import { DrizzleQueryError } from 'drizzle-orm/errors';

/**
 * Constraint errors, recognised the same way on both engines. D1 throws an Error whose message
 * reads "... UNIQUE constraint failed: ..."; libSQL throws a LibsqlError with a `code` such as
 * SQLITE_CONSTRAINT_UNIQUE. drizzle wraps either in a DrizzleQueryError whose own message
 * repeats the SQL and its parameters, so only the causes are inspected: a parameter that
 * happens to contain "UNIQUE constraint failed" must not make a different error look like one.
 */

const UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const FOREIGN_KEY_CODES = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY']);
const UNIQUE_MESSAGE = /\bUNIQUE constraint failed: ([^\n]*?)(?::\s*SQLITE_CONSTRAINT.*)?$/m;
const FOREIGN_KEY_MESSAGE = /\bFOREIGN KEY constraint failed\b/;
const MAX_CAUSE_DEPTH = 5;

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  extendedCode?: unknown;
  cause?: unknown;
}

/** The driver's own errors: the thrown error and its causes, minus drizzle's wrapper. */
function driverErrors(err: unknown): ErrorLike[] {
  const found: ErrorLike[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current && typeof current === 'object'; depth++) {
    const e = current as ErrorLike;
    if (!(current instanceof DrizzleQueryError)) found.push(e);
    current = e.cause;
  }
  return found;
}

function matches(err: unknown, codes: Set<string>, message: RegExp): boolean {
  return driverErrors(err).some(
    (e) =>
      (typeof e.extendedCode === 'string' && codes.has(e.extendedCode)) ||
      (typeof e.code === 'string' && codes.has(e.code)) ||
      (typeof e.message === 'string' && message.test(e.message)),
  );
}

/** A UNIQUE or PRIMARY KEY constraint refused the write (usually: map to 409). */
export function isUniqueViolation(err: unknown): boolean {
  return matches(err, UNIQUE_CODES, UNIQUE_MESSAGE);
}

/** A FOREIGN KEY constraint refused the write (the referenced row does not exist). */
export function isForeignKeyViolation(err: unknown): boolean {
  return matches(err, FOREIGN_KEY_CODES, FOREIGN_KEY_MESSAGE);
}

/**
 * Which unique key a violation hit: the index name for an index ("users_email_lower_unique")
 * or "table.column[, table.column]" for a column or primary-key constraint, in SQLite's
 * wording on both engines. Null when the error is not a unique violation. Lets a caller
 * tell which of several unique keys clashed (email or username) without a read first.
 */
export function violatedUniqueConstraint(err: unknown): string | null {
  for (const e of driverErrors(err)) {
    if (typeof e.message !== 'string') continue;
    const target = UNIQUE_MESSAGE.exec(e.message)?.[1]?.trim();
    if (target) return target.replace(/^index\s+'(.*)'$/, '$1');
  }
  return null;
}

// Rows changed by a run() result, re-exported here for the callers that map write outcomes.
export { affectedRows as changedRows, affectedRows } from '../db/result';
