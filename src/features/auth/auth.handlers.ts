import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { accountTakenConflict, toUser } from '../../lib/accounts';
import { currentUser } from '../../lib/auth';
import { queueEmail } from '../../lib/emails';
import { newId } from '../../lib/ids';
import { originOf } from '../../lib/media-urls';
import { hashPassword, needsRehash, verifyPassword } from '../../lib/passwords';
import { unauthorized } from '../../lib/problem';
import { clientAddress, enforceRateLimit } from '../../lib/rate-limit';
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
  type TokenSubject,
} from '../../lib/tokens';
import { createAccount, findAccountByIdentifier } from './auth.queries';
import type * as routes from './auth.routes';
import {
  findSessionByTokenHash,
  type NewSession,
  revokeEverySession,
  revokeFamily,
  revokeReusedFamily,
  rotateSession,
  spendGraceReplay,
  startSession,
} from './sessions.queries';

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

const USER_AGENT_MAX_LENGTH = 512;

const DAY_MS = 86_400_000;

/**
 * A new refresh token and its session row. It expires REFRESH_TOKEN_TTL_SECONDS from now,
 * but never after its family does.
 */
async function newRefreshSession(
  c: Context<AppEnv>,
  now: Date,
  familyExpiresAt: Date,
): Promise<{ token: string; session: NewSession }> {
  const token = newOpaqueToken();
  const ttlMs = c.get('config').REFRESH_TOKEN_TTL_SECONDS * 1000;
  return {
    token,
    session: {
      id: newId(now.getTime()),
      tokenHash: await hashOpaqueToken(token),
      expiresAt: new Date(Math.min(now.getTime() + ttlMs, familyExpiresAt.getTime())),
      userAgent: c.req.header('User-Agent')?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
    },
  };
}

/**
 * The login/refresh answer: the access token in the body, and the refresh token (when one was
 * issued) only in the cookie, which lives exactly as long as its session.
 */
async function tokenResponse(
  c: Context<AppEnv>,
  subject: TokenSubject,
  refresh?: { token: string; session: NewSession },
  now = new Date(),
) {
  const { token, expiresIn } = await signAccessToken(c.get('config'), subject, now.getTime());
  if (refresh) {
    const maxAge = Math.floor((refresh.session.expiresAt.getTime() - now.getTime()) / 1000);
    c.header('Set-Cookie', refreshCookie(refresh.token, maxAge));
  }
  return c.json({ access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn }, 200);
}

export const register: Handler<typeof routes.register> = async (c) => {
  await enforceRateLimit(c.env.AUTH_LIMITER, `register:ip:${clientAddress(c)}`);
  const body = c.req.valid('json');
  const now = new Date();
  const verification = await newEmailedToken(EMAIL_VERIFICATION_TTL_MS, now);
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
      pendingEmail: null,
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
  await enforceRateLimit(c.env.AUTH_LIMITER, `login:ip:${clientAddress(c)}`);

  const db = c.get('db');
  const account = await findAccountByIdentifier(db, by);
  // Per account, whichever identifier names it, so email and username share one budget.
  const accountKey = account ? `id:${account.id}` : `unknown:${identifier.toLowerCase()}`;
  await enforceRateLimit(c.env.AUTH_LIMITER, `login:account:${accountKey}`);
  // Always one scrypt run (against a dummy hash for an unknown account) and one message.
  const passwordOk = await verifyPassword(body.password, account?.passwordHash ?? null);
  if (!account || !passwordOk || !account.isActive) {
    throw unauthorized('The email, username or password is wrong.', 'invalid_credentials');
  }

  const now = new Date();
  const familyExpiresAt = new Date(
    now.getTime() + c.get('config').REFRESH_FAMILY_MAX_DAYS * DAY_MS,
  );
  const refresh = await newRefreshSession(c, now, familyExpiresAt);
  const rehashedPassword = needsRehash(account.passwordHash)
    ? await hashPassword(body.password)
    : undefined;
  await startSession(db, {
    userId: account.id,
    session: refresh.session,
    familyExpiresAt,
    now,
    rehashedPassword,
  });
  return tokenResponse(c, account, refresh, now);
};

export const refresh: Handler<typeof routes.refresh> = async (c) => {
  assertTrustedOrigin(c);
  const presented = readRefreshCookie(c);
  if (!presented || !isOpaqueToken(presented)) throw invalidRefreshToken();

  const db = c.get('db');
  const now = new Date();
  const session = await findSessionByTokenHash(db, await hashOpaqueToken(presented));
  if (
    !session ||
    session.revokedAt ||
    session.expiresAt <= now ||
    session.familyExpiresAt <= now ||
    !session.userActive
  ) {
    throw invalidRefreshToken();
  }
  const subject = { id: session.userId, tokenGeneration: session.tokenGeneration };

  const child = await newRefreshSession(c, now, session.familyExpiresAt);
  if (session.rotatedAt === null && (await rotateSession(db, session.id, child.session, now))) {
    return tokenResponse(c, subject, child, now);
  }
  // Two tabs refreshing at once: the loser gets an access token but no new refresh token
  // (the winner's cookie is already in the browser), so a replay cannot branch the family.
  const graceMs = c.get('config').REFRESH_REUSE_GRACE_SECONDS * 1000;
  const graceStart = new Date(now.getTime() - graceMs);
  if (graceMs > 0 && (await spendGraceReplay(db, session.id, now, graceStart))) {
    return tokenResponse(c, subject, undefined, now);
  }
  // A spent token came back: someone holds a copy. Nothing from this login is trusted now.
  await revokeReusedFamily(db, session, now);
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
};

export const logout: Handler<typeof routes.logout> = async (c) => {
  assertTrustedOrigin(c);
  const presented = readRefreshCookie(c);
  if (presented && isOpaqueToken(presented)) {
    const db = c.get('db');
    const session = await findSessionByTokenHash(db, await hashOpaqueToken(presented));
    if (session) await revokeFamily(db, session.familyId, new Date());
  }
  c.header('Set-Cookie', clearedRefreshCookie());
  return c.body(null, 204);
};

export const logoutEverywhere: Handler<typeof routes.logoutEverywhere> = async (c) => {
  await revokeEverySession(c.get('db'), currentUser(c).userId, new Date());
  c.header('Set-Cookie', clearedRefreshCookie());
  return c.body(null, 204);
};
