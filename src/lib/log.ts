import { DrizzleQueryError } from 'drizzle-orm/errors';

/**
 * Errors as the logs (and stored job outcomes) may show them. drizzle's DrizzleQueryError
 * repeats every bound value in its message and stack (a password hash, an email, a token), so a
 * failed query is shown as its SQL text, which has `?` placeholders, plus the driver's own
 * error (`cause`). A bound value that the driver error happens to repeat is blanked too.
 */

export interface LoggedError {
  name: string;
  message?: string;
  /** A failed query's SQL text, placeholders and all. */
  query?: string;
  code?: string;
  stack?: string;
  cause?: LoggedError | string;
}

const MAX_CAUSE_DEPTH = 4;
// Shorter values (ids of a few digits, booleans) are no secret, and blanking them would
// garble the text around them.
const MIN_HIDDEN_LENGTH = 4;
const HIDDEN = '[bound value]';

function causesOf(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e && chain.length <= MAX_CAUSE_DEPTH; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}

/** The bound values of every failed query in the chain, longest first. */
function boundValues(err: unknown): string[] {
  return causesOf(err)
    .flatMap((e) => (e instanceof DrizzleQueryError ? e.params : []))
    .map((value) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')))
    .filter((value) => value.length >= MIN_HIDDEN_LENGTH)
    .sort((a, b) => b.length - a.length);
}

const hide = (text: string, values: string[]) =>
  values.reduce((out, value) => out.replaceAll(value, HIDDEN), text);

function describe(err: unknown, values: string[], depth: number): LoggedError | string {
  if (!(err instanceof Error)) return hide(String(err), values);
  const cause =
    err.cause !== undefined && depth < MAX_CAUSE_DEPTH
      ? describe(err.cause, values, depth + 1)
      : undefined;
  if (err instanceof DrizzleQueryError) {
    return { name: 'DrizzleQueryError', query: err.query, ...(cause ? { cause } : {}) };
  }
  const code = (err as { code?: unknown }).code;
  return {
    name: err.name,
    message: hide(err.message, values),
    ...(typeof code === 'string' ? { code } : {}),
    ...(err.stack ? { stack: hide(err.stack, values) } : {}),
    ...(cause ? { cause } : {}),
  };
}

/** Anything thrown, fit for a log line: no bound query values anywhere in it. */
export function describeError(err: unknown): LoggedError | string {
  return describe(err, boundValues(err), 0);
}

/** One line for a stored outcome or a rethrown error: message, then each cause's. */
export function errorSummary(err: unknown): string {
  const values = boundValues(err);
  return causesOf(err)
    .map((e) => {
      if (e instanceof DrizzleQueryError) return `Failed query: ${e.query}`;
      return hide(e instanceof Error ? e.message : String(e), values);
    })
    .join(' <- ');
}

/** The error itself, or, when it carries bound query values, a plain Error that does not. */
export function withoutBoundValues(err: unknown): unknown {
  return causesOf(err).some((e) => e instanceof DrizzleQueryError)
    ? new Error(errorSummary(err))
    : err;
}

/** Writes one structured error line (Workers Observability picks up console output). */
export function logError(fields: Record<string, unknown>, err: unknown): void {
  console.error(JSON.stringify({ level: 'error', ...fields, error: describeError(err) }));
}
