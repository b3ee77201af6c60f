import type { Context } from 'hono';
import { tooManyRequests } from './problem';

/**
 * The Rate Limiting bindings count in fixed windows of the period set in wrangler.toml (60 s)
 * and do not say when a window ends, so a refused client is told to wait one whole period.
 */
export const RATE_LIMIT_RETRY_AFTER_SECONDS = 60;
const MAX_KEY_PART_LENGTH = 256;

/** The caller's address as Cloudflare saw it; requests without one share the 'unknown' bucket. */
export function clientIp(c: Context): string {
  return c.req.header('CF-Connecting-IP')?.trim().slice(0, MAX_KEY_PART_LENGTH) || 'unknown';
}

/** Counts one request against `key` (e.g. "login:ip:203.0.113.7"); 429 with Retry-After when over. */
export async function enforceRateLimit(
  limiter: RateLimit,
  key: string,
  retryAfterSeconds = RATE_LIMIT_RETRY_AFTER_SECONDS,
): Promise<void> {
  const { success } = await limiter.limit({ key: key.slice(0, 2 * MAX_KEY_PART_LENGTH) });
  if (!success) {
    throw tooManyRequests(retryAfterSeconds, 'Too many attempts. Wait before trying again.');
  }
}
