import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Database } from '../../db/client';
import type { AppEnv, Bindings } from '../../env';
import { accountTakenConflict } from '../../lib/accounts';
import { currentUser } from '../../lib/auth';
import { assertCurrentPassword } from '../../lib/current-password';
import { queueEmail } from '../../lib/emails';
import { logError } from '../../lib/log';
import type { OneTimePurpose } from '../../lib/one-time-tokens';
import { hashPassword } from '../../lib/passwords';
import { conflict, unauthorized } from '../../lib/problem';
import { clientAddress, enforceRateLimit } from '../../lib/rate-limit';
import { readRefreshCookie } from '../../lib/refresh-cookie';
import {
  EMAIL_VERIFICATION_TTL_MS,
  hashOpaqueToken,
  invalidEmailedToken,
  isOpaqueToken,
  newEmailedToken,
  PASSWORD_RESET_TTL_MS,
} from '../../lib/tokens';
import {
  consumeEmailVerification,
  consumePasswordReset,
  findAccountById,
  findAccountByIdentifier,
  findUsableOneTimeToken,
  issueOneTimeToken,
  changePassword as storeNewPassword,
} from './auth.queries';
import type * as routes from './auth.routes';
import { findSessionByTokenHash } from './sessions.queries';

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/** The caller's own session family, from the refresh cookie that this path also receives. */
async function callerFamilyId(c: Context<AppEnv>, userId: string) {
  const presented = readRefreshCookie(c);
  if (!presented || !isOpaqueToken(presented)) return undefined;
  const session = await findSessionByTokenHash(c.get('db'), await hashOpaqueToken(presented));
  return session && session.userId === userId && !session.revokedAt ? session.familyId : undefined;
}

export const changePassword: Handler<typeof routes.changePassword> = async (c) => {
  const { userId } = currentUser(c);
  const body = c.req.valid('json');
  const db = c.get('db');
  await assertCurrentPassword(c, body.current_password);
  const keepFamilyId = await callerFamilyId(c, userId);
  const passwordHash = await hashPassword(body.new_password);
  await storeNewPassword(db, { userId, passwordHash, keepFamilyId }, new Date());
  return c.body(null, 204);
};

async function emailPasswordReset(db: Database, jobs: Bindings['JOBS'], email: string) {
  const account = await findAccountByIdentifier(db, { email });
  if (!account?.isActive) return;
  const now = new Date();
  const reset = await newEmailedToken(PASSWORD_RESET_TTL_MS, now);
  await issueOneTimeToken(
    db,
    { userId: account.id, purpose: 'password_reset', token: reset.record },
    now,
  );
  await queueEmail(jobs, {
    to: account.email,
    template: 'password_reset',
    data: { username: account.username, token: reset.token },
  });
}

export const requestPasswordReset: Handler<typeof routes.requestPasswordReset> = async (c) => {
  const { email } = c.req.valid('json');
  await enforceRateLimit(c.env.AUTH_LIMITER, `password-reset:ip:${clientAddress(c)}`);
  // Per address too, so nobody can flood one inbox from many addresses.
  await enforceRateLimit(c.env.AUTH_LIMITER, `password-reset:email:${email.toLowerCase()}`);
  // After the response, so its timing says nothing about whether the account exists.
  c.executionCtx.waitUntil(
    emailPasswordReset(c.get('db'), c.env.JOBS, email).catch((err) =>
      logError({ event: 'password_reset_failed', request_id: c.get('requestId') }, err),
    ),
  );
  return c.body(null, 202);
};

/** The unused, unexpired token behind a submitted value, or the 422 every failure shares. */
async function usableToken(c: Context<AppEnv>, value: string, purpose: OneTimePurpose) {
  const token = isOpaqueToken(value)
    ? await findUsableOneTimeToken(c.get('db'), await hashOpaqueToken(value), purpose, new Date())
    : undefined;
  if (!token) throw invalidEmailedToken();
  return token;
}

export const confirmPasswordReset: Handler<typeof routes.confirmPasswordReset> = async (c) => {
  const body = c.req.valid('json');
  const token = await usableToken(c, body.token, 'password_reset');
  const passwordHash = await hashPassword(body.new_password);
  if (!(await consumePasswordReset(c.get('db'), token, passwordHash, new Date()))) {
    throw invalidEmailedToken();
  }
  return c.body(null, 204);
};

export const verifyEmail: Handler<typeof routes.verifyEmail> = async (c) => {
  const token = await usableToken(c, c.req.valid('json').token, 'email_verification');
  let verified: boolean;
  try {
    verified = await consumeEmailVerification(c.get('db'), token, new Date());
  } catch (err) {
    // A pending address that another account took meanwhile (the unique index decides).
    if (!accountTakenConflict(err)) throw err;
    throw conflict(
      'Another account uses this address now; change your email again.',
      'email_taken',
    );
  }
  if (!verified) throw invalidEmailedToken();
  return c.body(null, 204);
};

export const resendVerificationEmail: Handler<typeof routes.resendVerificationEmail> = async (
  c,
) => {
  const { userId } = currentUser(c);
  await enforceRateLimit(c.env.AUTH_LIMITER, `verify-resend:ip:${clientAddress(c)}`);
  const db = c.get('db');
  const account = await findAccountById(db, userId);
  if (!account) throw unauthorized();
  // A pending new address is the one waiting for a token; otherwise the current one.
  const to = account.pendingEmail ?? account.email;
  if (account.pendingEmail === null && account.emailVerified) {
    throw conflict('This email address is already verified.', 'email_already_verified');
  }
  const now = new Date();
  const verification = await newEmailedToken(EMAIL_VERIFICATION_TTL_MS, now);
  await issueOneTimeToken(
    db,
    { userId, purpose: 'email_verification', token: verification.record },
    now,
  );
  await queueEmail(c.env.JOBS, {
    to,
    template: account.pendingEmail === null ? 'welcome' : 'email_change_verify',
    data: { username: account.username, token: verification.token },
  });
  return c.body(null, 202);
};
