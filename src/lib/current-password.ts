import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { users } from '../db/schema';
import type { AppEnv } from '../env';
import { currentUser } from './auth';
import { PASSWORD_MAX_LENGTH, verifyPassword } from './passwords';
import { forbidden, unprocessable } from './problem';
import { enforceRateLimit } from './rate-limit';

// Existing passwords are only checked, never judged: one set before a policy change still works.
export const CurrentPasswordField = z
  .string()
  .min(1)
  .max(PASSWORD_MAX_LENGTH)
  .openapi({ example: 'correct horse battery staple' });

/**
 * Re-authentication for what a stolen access token alone must not do (change the password or
 * the email, delete the account): the caller's password, or 403 wrong_password. Every check
 * counts against one per-account budget, so a token cannot be used to guess the password.
 */
export async function assertCurrentPassword(c: Context<AppEnv>, password: string | undefined) {
  const { userId } = currentUser(c);
  if (password === undefined) {
    throw unprocessable('Confirm this change with your current password.', 'validation_failed', {
      errors: [{ path: '/body/current_password', message: 'Required for this change.' }],
    });
  }
  await enforceRateLimit(c.env.AUTH_LIMITER, `password:user:${userId}`);
  const [account] = await c
    .get('db')
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!(await verifyPassword(password, account?.passwordHash ?? null))) {
    throw forbidden('The current password is wrong.', 'wrong_password');
  }
}
