import { eq } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { users } from '../db/schema';
import type { AppEnv, AuthContext, Config } from '../env';
import { forbidden, invalidToken, unauthorized } from './problem';
import { verifyAccessToken } from './tokens';

/**
 * Reads an optional bearer token. A present but bad token is always a 401, even on routes
 * that allow anonymous callers, so a client learns at once that its token is useless.
 * One indexed read per authenticated request keeps deactivation and admin changes immediate.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('Authorization');
  if (header !== undefined) {
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header.trim());
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
      })
      .from(users)
      .where(eq(users.id, claims.sub))
      .limit(1);
    if (!user?.isActive) throw invalidToken('The account behind this token is not active.');
    const auth: AuthContext = {
      userId: user.id,
      username: user.username,
      isAdmin: user.isAdmin,
      emailVerified: user.emailVerified,
    };
    c.set('auth', auth);
  }
  await next();
});

/** The signed-in caller, or a 401. */
export function currentUser(c: { get(key: 'auth'): AuthContext | undefined }): AuthContext {
  const auth = c.get('auth');
  if (!auth) throw unauthorized();
  return auth;
}

export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
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
  assertWriter(c.get('config'), currentUser(c));
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (!currentUser(c).isAdmin) throw forbidden('This needs an administrator.', 'admin_only');
  await next();
});
