import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { accountTakenConflict, takenConflict, toUser, type UserRow } from '../../lib/accounts';
import { currentUser } from '../../lib/auth';
import { assertCurrentPassword } from '../../lib/current-password';
import { queueEmail } from '../../lib/emails';
import { assertIfMatch, setEtag } from '../../lib/etag';
import { logError } from '../../lib/log';
import { originOf } from '../../lib/media-urls';
import { forbidden, unauthorized } from '../../lib/problem';
import { enforceRateLimit } from '../../lib/rate-limit';
import { EMAIL_VERIFICATION_TTL_MS, newEmailedToken } from '../../lib/tokens';
import {
  type AccountChanges,
  deleteAccount,
  emailTakenByAnother,
  findUser,
  updateAccount,
} from './users.queries';
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

/**
 * What an `email` in PATCH /users/me means: the current address re-cased, or a new address to
 * hold as pending (which also drops an earlier pending one), or back to the current address
 * (which drops the pending one).
 */
function emailChanges(row: UserRow, email: string | undefined): AccountChanges {
  if (email === undefined) return {};
  if (email.toLowerCase() !== row.email.toLowerCase()) {
    return { pendingEmail: email };
  }
  return { recasedEmail: email, ...(row.pendingEmail !== null ? { pendingEmail: null } : {}) };
}

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
  const changes = emailChanges(row, body.email);
  const newEmail = changes.pendingEmail ?? undefined;
  // A stolen access token alone must not move the account to another mailbox.
  if (newEmail !== undefined || body.current_password !== undefined) {
    await assertCurrentPassword(c, body.current_password);
  }
  const db = c.get('db');
  const now = new Date();
  const verification =
    newEmail === undefined ? undefined : await newEmailedToken(EMAIL_VERIFICATION_TTL_MS, now);
  if (newEmail !== undefined) {
    await enforceRateLimit(c.env.AUTH_LIMITER, `email-change:user:${row.id}`);
    if (await emailTakenByAnother(db, newEmail, row.id)) throw takenConflict('email');
  }
  try {
    await updateAccount(
      db,
      row.id,
      { ...changes, username: body.username, verification: verification?.record },
      now,
    );
  } catch (err) {
    throw accountTakenConflict(err) ?? err;
  }
  if (newEmail !== undefined && verification) {
    const username = body.username ?? row.username;
    await queueEmail(c.env.JOBS, {
      to: newEmail,
      template: 'email_change_verify',
      data: { username, token: verification.token },
    });
    await queueEmail(c.env.JOBS, {
      to: row.email,
      template: 'email_change_notice',
      data: { username, new_email: newEmail },
    });
  }
  const { view: updated } = await currentAccount(c);
  await setEtag(c, updated);
  return c.json(updated, 200);
};

export const deleteMe: Handler<typeof routes.deleteMe> = async (c) => {
  const { row, view } = await currentAccount(c);
  await assertIfMatch(c.req.valid('header')['if-match'], view);
  await assertCurrentPassword(c, c.req.valid('json').current_password);
  await deleteAccount(c.get('db'), row.id);
  try {
    await c.env.JOBS.send({ type: 'account.cleanup', user_id: row.id });
  } catch (err) {
    // The nightly orphaned-image sweep removes the objects if this message never lands.
    logError({ event: 'account_cleanup_queue_failed', user_id: row.id }, err);
  }
  return c.body(null, 204);
};
