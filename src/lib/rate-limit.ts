import type { Context } from 'hono';
import { tooManyRequests } from './problem';

/**
 * The Rate Limiting bindings count in fixed windows of the period set in wrangler.toml (60 s)
 * and do not say when a window ends, so a refused client is told to wait one whole period.
 */
export const RATE_LIMIT_RETRY_AFTER_SECONDS = 60;
const MAX_KEY_LENGTH = 512;
const UNKNOWN_ADDRESS = 'unknown';

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail included), or null. */
function ipv6Groups(address: string): number[] | null {
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const parts = halves.map((half) => (half === '' ? [] : half.split(':')));
  const last = parts.at(-1) ?? [];
  const tail = last.at(-1);
  if (tail !== undefined && IPV4.test(tail)) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    last.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const [head = [], rest = []] = parts;
  if (![...head, ...rest].every((g) => HEXTET.test(g))) return null;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...head, ...Array(halves.length === 1 ? 0 : missing).fill('0'), ...rest].map((g) =>
    Number.parseInt(g, 16),
  );
}

/**
 * The rate-limit bucket of a client address. One IPv6 subscriber gets a whole /64 and can
 * rotate the low 64 bits freely, so IPv6 is counted per /64; IPv4 (also IPv4-mapped IPv6)
 * per address. Anything else shares one 'unknown' bucket.
 */
export function rateLimitAddress(raw: string | null | undefined): string {
  const address = raw?.trim().toLowerCase() ?? '';
  if (IPV4.test(address)) return address;
  const groups = address.includes(':') ? ipv6Groups(address) : null;
  if (!groups) return UNKNOWN_ADDRESS;
  const isIpv4Mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isIpv4Mapped) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/**
 * The caller's rate-limit bucket from CF-Connecting-IP, which Cloudflare sets itself; headers
 * a client can write (X-Forwarded-For, X-Real-IP) are never read.
 */
export const clientAddress = (c: Context): string =>
  rateLimitAddress(c.req.header('CF-Connecting-IP'));

/** Counts one request against `key` (e.g. "login:ip:203.0.113.7"); 429 with Retry-After when over. */
export async function enforceRateLimit(
  limiter: RateLimit,
  key: string,
  retryAfterSeconds = RATE_LIMIT_RETRY_AFTER_SECONDS,
): Promise<void> {
  const { success } = await limiter.limit({ key: key.slice(0, MAX_KEY_LENGTH) });
  if (!success) {
    throw tooManyRequests(retryAfterSeconds, 'Too many attempts. Wait before trying again.');
  }
}
