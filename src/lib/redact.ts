const SECRET_KEY = /token|password|secret/i;
export const REDACTED = '[redacted]';

/** A copy of a value with whatever sits under token/password/secret-like keys replaced. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v)]),
    );
  }
  return value;
}
