import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { users } from '../db/schema';
import type { AppEnv, AuthContext, Config } from '../env';
import { forbidden, invalidToken, unauthorized } from './problem';
import { verifyAccessToken } from './tokens';

// RFC 9110 auth schemes are case-insensitive: "bearer xyz" is as good as "Bearer xyz".
const BEARER_HEADER = /^Bearer +([A-Za-z0-9_.-]+)$/i;

/** True when the request sends an Authorization header (the D1 session then starts at the primary). */
export const sendsBearer = (c: Context<AppEnv>) => c.req.header('Authorization') !== undefined;

/**
 * Judges the bearer token, once per request; only the middleware of routes that declare the
 * bearer (required or optional) call it, so cookie and public routes ignore a stale header.
 * A present but bad token is a 401 even where anonymous callers are welcome, so a client
 * learns at once that its token is useless. One indexed read keeps deactivation, admin
 * changes and revocation (the token generation) immediate.
 */
async function authenticate(c: Context<AppEnv>): Promise<void> {
  const header = c.req.header('Authorization');
  if (header === undefined || c.get('auth')) return;
  const match = BEARER_HEADER.exec(header.trim());
  if (!match?.[1]) throw invalidToken('The Authorization header must be "Bearer <token>".');
  const claims = await verifyAccessToken(c.get('config'), match[1]);
  const [user] = await c
    .get('db')
    .select({
      id: users.id,
      username: users.username,
      isAdmin: users.isAdmin,
      isActive: users.isActive,
      emailVerified: users.emailVerified,
      tokenGeneration: users.tokenGeneration,
    })
    .from(users)
    .where(eq(users.id, claims.sub))
    .limit(1);
  if (!user?.isActive) throw invalidToken('The account behind this token is not active.');
  if (user.tokenGeneration !== claims.gen) {
    throw invalidToken('This token was revoked (password change, log out everywhere, or similar).');
  }
  const auth: AuthContext = {
    userId: user.id,
    username: user.username,
    isAdmin: user.isAdmin,
    emailVerified: user.emailVerified,
  };
  c.set('auth', auth);
}

/** The signed-in caller, or a 401. */
export function currentUser(c: { get(key: 'auth'): AuthContext | undefined }): AuthContext {
  const auth = c.get('auth');
  if (!auth) throw unauthorized();
  return auth;
}

/** For routes where a token is optional: judges one when sent, else the caller is anonymous. */
export const optionalAuth = createMiddleware<AppEnv>(async (c, next) => {
  await authenticate(c);
  await next();
});

export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  await authenticate(c);
  currentUser(c);
  await next();
});

/** Throws 403 when REQUIRE_VERIFIED_EMAIL is on and the caller has not verified the address. */
export function assertWriter(config: Config, auth: AuthContext): void {
  if (config.REQUIRE_VERIFIED_EMAIL && !auth.emailVerified) {
    throw forbidden('Verify your email address before making changes.', 'email_not_verified');
  }
}

/** For routes that change data: signed in, and verified when REQUIRE_VERIFIED_EMAIL is on. */
export const requireWriter = createMiddleware<AppEnv>(async (c, next) => {
  await authenticate(c);
  assertWriter(c.get('config'), currentUser(c));
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  await authenticate(c);
  if (!currentUser(c).isAdmin) throw forbidden('This needs an administrator.', 'admin_only');
  await next();
});
