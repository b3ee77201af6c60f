import type { Context } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import type { AppEnv } from '../env';
import { ApiError, forbidden } from './problem';

// __Secure- makes browsers insist on Secure; __Host- would also force Path=/, and the cookie
// must reach only the auth routes.
export const REFRESH_COOKIE_NAME = '__Secure-ublog_refresh';
const COOKIE_BASE_NAME = 'ublog_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

const attributes = {
  prefix: 'secure',
  path: REFRESH_COOKIE_PATH,
  httpOnly: true,
  secure: true,
  sameSite: 'Strict',
} as const;

/** The Set-Cookie value carrying a refresh token. */
export const refreshCookie = (token: string, maxAgeSeconds: number) =>
  generateCookie(COOKIE_BASE_NAME, token, { ...attributes, maxAge: maxAgeSeconds });

/** The Set-Cookie value that makes the browser forget the refresh token. */
export const clearedRefreshCookie = () =>
  generateCookie(COOKIE_BASE_NAME, '', { ...attributes, maxAge: 0 });

export const readRefreshCookie = (c: Context): string | undefined =>
  getCookie(c, COOKIE_BASE_NAME, 'secure') || undefined;

/** 401 for a missing, unknown, expired, revoked or reused refresh token; clears the cookie. */
export const invalidRefreshToken = (
  detail = 'The refresh token is missing, invalid, expired or revoked. Log in again.',
) =>
  new ApiError({
    status: 401,
    code: 'invalid_refresh_token',
    detail,
    headers: {
      'WWW-Authenticate': 'Bearer realm="ublog", error="invalid_token"',
      'Set-Cookie': clearedRefreshCookie(),
    },
  });

/**
 * Cookie-authenticated routes refuse a request whose Origin is present and neither this API's
 * own origin nor in CORS_ORIGINS, so another site cannot make a browser spend the cookie.
 * A request without Origin (curl, a server) carries no ambient browser cookie to ride.
 */
export function assertTrustedOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header('Origin');
  if (origin === undefined) return;
  const own = new URL(c.req.url).origin;
  if (origin === own || c.get('config').CORS_ORIGINS.includes(origin)) return;
  throw forbidden(
    'This request comes from an origin that may not use the refresh cookie.',
    'origin_not_allowed',
  );
}
