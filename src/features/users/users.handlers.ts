import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { accountTakenConflict, toUser } from '../../lib/accounts';
import { currentUser } from '../../lib/auth';
import { queueEmail } from '../../lib/emails';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { logError } from '../../lib/log';
import { originOf } from '../../lib/media-urls';
import { forbidden, unauthorized } from '../../lib/problem';
import { enforceRateLimit } from '../../lib/rate-limit';
import { EMAIL_VERIFICATION_TTL_MS, newEmailedToken } from '../../lib/tokens';
import { deleteAccount, findUser, updateAccount } from './users.queries';
import type * as routes from './users.routes';

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/** The caller's account as GET /users/me renders it (also what If-Match is checked against). */
async function currentAccount(c: Context<AppEnv>) {
  const row = await findUser(c.get('db'), currentUser(c).userId);
  // authenticate found the user a moment ago; gone now means deleted in between.
  if (!row) throw unauthorized('The account no longer exists.', 'account_gone');
  return { row, view: toUser(row, originOf(c)) };
}

export const getMe: Handler<typeof routes.getMe> = async (c) => {
  const { view } = await currentAccount(c);
  return c.json(view, 200);
};

export const updateMe: Handler<typeof routes.updateMe> = async (c) => {
  const body = c.req.valid('json');
  const { row, view } = await currentAccount(c);
  await assertIfMatch(c.req.valid('header')['if-match'], view);

  const usernameChanged = body.username !== undefined && body.username !== row.username;
  if (usernameChanged && c.get('config').REQUIRE_VERIFIED_EMAIL && !row.emailVerified) {
    throw forbidden(
      'Verify your email address before changing your username.',
      'email_not_verified',
    );
  }
  const emailChanged =
    body.email !== undefined && body.email.toLowerCase() !== row.email.toLowerCase();
  if (emailChanged) await enforceRateLimit(c.env.AUTH_LIMITER, `email-change:user:${row.id}`);

  const now = new Date();
  const verification = emailChanged ? newEmailedToken(EMAIL_VERIFICATION_TTL_MS, now) : undefined;
  try {
    await updateAccount(
      c.get('db'),
      row.id,
      { username: body.username, email: body.email, verification: verification?.record },
      now,
    );
  } catch (err) {
    throw accountTakenConflict(err) ?? err;
  }
  if (verification) {
    await queueEmail(c.env.JOBS, {
      to: body.email ?? row.email,
      template: 'welcome',
      data: { username: body.username ?? row.username, token: verification.token },
    });
  }
  const { view: updated } = await currentAccount(c);
  await setEtag(c, updated);
  return c.json(updated, 200);
};

export const deleteMe: Handler<typeof routes.deleteMe> = async (c) => {
  const { row, view } = await currentAccount(c);
  await assertIfMatch(c.req.valid('header')['if-match'], view);
  await deleteAccount(c.get('db'), row.id);
  try {
    await c.env.JOBS.send({ type: 'account.cleanup', user_id: row.id });
  } catch (err) {
    // The nightly orphaned-image sweep removes the objects if this message never lands.
    logError({ event: 'account_cleanup_queue_failed', user_id: row.id }, err);
  }
  return c.body(null, 204);
};
