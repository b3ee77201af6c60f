import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { accountTakenConflict, toUser } from '../../lib/accounts';
import { queueEmail } from '../../lib/emails';
import { newId } from '../../lib/ids';
import { originOf } from '../../lib/media-urls';
import { hashPassword, needsRehash, verifyPassword } from '../../lib/passwords';
import { unauthorized } from '../../lib/problem';
import { clientIp, enforceRateLimit } from '../../lib/rate-limit';
import {
  assertTrustedOrigin,
  clearedRefreshCookie,
  invalidRefreshToken,
  readRefreshCookie,
  refreshCookie,
} from '../../lib/refresh-cookie';
import {
  EMAIL_VERIFICATION_TTL_MS,
  hashOpaqueToken,
  isOpaqueToken,
  newEmailedToken,
  newOpaqueToken,
  signAccessToken,
} from '../../lib/tokens';
import { createAccount, findAccountByIdentifier } from './auth.queries';
import type * as routes from './auth.routes';
import {
  findSessionByTokenHash,
  type NewSession,
  revokeFamily,
  rotateSession,
  rotateWithinGrace,
  startSession,
} from './sessions.queries';

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

const USER_AGENT_MAX_LENGTH = 512;

function newRefreshSession(c: Context<AppEnv>, now: Date): { token: string; session: NewSession } {
  const token = newOpaqueToken();
  const ttlMs = c.get('config').REFRESH_TOKEN_TTL_SECONDS * 1000;
  return {
    token,
    session: {
      id: newId(now.getTime()),
      tokenHash: hashOpaqueToken(token),
      expiresAt: new Date(now.getTime() + ttlMs),
      userAgent: c.req.header('User-Agent')?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
    },
  };
}

/** The login/refresh answer: access token in the body, refresh token only in the cookie. */
async function tokenResponse(c: Context<AppEnv>, userId: string, refreshToken: string) {
  const config = c.get('config');
  const { token, expiresIn } = await signAccessToken(config, userId);
  c.header('Set-Cookie', refreshCookie(refreshToken, config.REFRESH_TOKEN_TTL_SECONDS));
  return c.json({ access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn }, 200);
}

export const register: Handler<typeof routes.register> = async (c) => {
  await enforceRateLimit(c.env.AUTH_LIMITER, `register:ip:${clientIp(c)}`);
  const body = c.req.valid('json');
  const now = new Date();
  const verification = newEmailedToken(EMAIL_VERIFICATION_TTL_MS, now);
  const account = {
    id: newId(now.getTime()),
    email: body.email,
    username: body.username,
    passwordHash: await hashPassword(body.password),
    verification: verification.record,
  };
  try {
    await createAccount(c.get('db'), account, now);
  } catch (err) {
    throw accountTakenConflict(err) ?? err;
  }
  await queueEmail(c.env.JOBS, {
    to: account.email,
    template: 'welcome',
    data: { username: account.username, token: verification.token },
  });
  const user = toUser(
    {
      ...account,
      emailVerified: false,
      isAdmin: false,
      createdAt: now,
      bio: '',
      city: '',
      avatarKey: null,
      postCount: 0,
    },
    originOf(c),
  );
  return c.json({ user }, 201);
};

export const login: Handler<typeof routes.login> = async (c) => {
  const body = c.req.valid('json');
  const identifier = body.email ?? body.username ?? '';
  const by = body.email !== undefined ? { email: identifier } : { username: identifier };
  await enforceRateLimit(c.env.AUTH_LIMITER, `login:ip:${clientIp(c)}`);
  await enforceRateLimit(c.env.AUTH_LIMITER, `login:account:${identifier.toLowerCase()}`);

  const db = c.get('db');
  const account = await findAccountByIdentifier(db, by);
  // Always one scrypt run (against a dummy hash for an unknown account) and one message.
  const passwordOk = await verifyPassword(body.password, account?.passwordHash ?? null);
  if (!account || !passwordOk || !account.isActive) {
    throw unauthorized('The email, username or password is wrong.', 'invalid_credentials');
  }

  const now = new Date();
  const { token, session } = newRefreshSession(c, now);
  const rehashedPassword = needsRehash(account.passwordHash)
    ? await hashPassword(body.password)
    : undefined;
  await startSession(db, { userId: account.id, session, now, rehashedPassword });
  return tokenResponse(c, account.id, token);
};

export const refresh: Handler<typeof routes.refresh> = async (c) => {
  assertTrustedOrigin(c);
  const presented = readRefreshCookie(c);
  if (!presented || !isOpaqueToken(presented)) throw invalidRefreshToken();

  const db = c.get('db');
  const now = new Date();
  const session = await findSessionByTokenHash(db, hashOpaqueToken(presented));
  if (!session || session.revokedAt || session.expiresAt <= now || !session.userActive) {
    throw invalidRefreshToken();
  }

  const { token, session: child } = newRefreshSession(c, now);
  const graceMs = c.get('config').REFRESH_REUSE_GRACE_SECONDS * 1000;
  const rotated =
    (session.rotatedAt === null && (await rotateSession(db, session.id, child, now))) ||
    (graceMs > 0 &&
      (await rotateWithinGrace(db, session.id, child, now, new Date(now.getTime() - graceMs))));
  if (!rotated) {
    // A spent token came back: someone holds a copy. Nothing from this login is trusted now.
    await revokeFamily(db, session.familyId, now);
    console.warn(
      JSON.stringify({
        level: 'warn',
        event: 'refresh_token_reuse',
        request_id: c.get('requestId'),
        user_id: session.userId,
        family_id: session.familyId,
      }),
    );
    throw invalidRefreshToken(
      'This refresh token was already used, so every session from the same login is revoked. Log in again.',
    );
  }
  return tokenResponse(c, session.userId, token);
};

export const logout: Handler<typeof routes.logout> = async (c) => {
  assertTrustedOrigin(c);
  const presented = readRefreshCookie(c);
  if (presented && isOpaqueToken(presented)) {
    const db = c.get('db');
    const session = await findSessionByTokenHash(db, hashOpaqueToken(presented));
    if (session) await revokeFamily(db, session.familyId, new Date());
  }
  c.header('Set-Cookie', clearedRefreshCookie());
  return c.body(null, 204);
};
