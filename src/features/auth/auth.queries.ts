import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { oneTimeTokens, profiles, sessions, users } from '../../db/schema';
import { changedRows } from '../../lib/db-errors';
import {
  insertOneTimeToken,
  type NewOneTimeToken,
  type OneTimePurpose,
  spendTokens,
} from '../../lib/one-time-tokens';
import { NEXT_TOKEN_GENERATION } from '../../lib/revocation';
import { revokeUserSessions } from './sessions.queries';

export interface NewAccount {
  id: string;
  email: string;
  username: string;
  passwordHash: string;
  verification: NewOneTimeToken;
}

/**
 * The user, its profile and its first email-verification token, in one batch. A taken email or
 * username fails the whole batch on the case-insensitive unique indexes; the caller maps that.
 */
export async function createAccount(db: Database, account: NewAccount, now: Date): Promise<void> {
  const { verification, ...user } = account;
  await db.batch([
    db.insert(users).values({ ...user, createdAt: now, updatedAt: now }),
    db.insert(profiles).values({ userId: user.id, updatedAt: now }),
    insertOneTimeToken(db, user.id, 'email_verification', verification, now),
  ]);
}

export interface AccountCredentials {
  id: string;
  email: string;
  username: string;
  passwordHash: string;
  isActive: boolean;
  emailVerified: boolean;
  /** A new address waiting for verification (never used for login or mail until then). */
  pendingEmail: string | null;
  tokenGeneration: number;
}

const credentialColumns = {
  id: users.id,
  email: users.email,
  username: users.username,
  passwordHash: users.passwordHash,
  isActive: users.isActive,
  emailVerified: users.emailVerified,
  pendingEmail: users.pendingEmail,
  tokenGeneration: users.tokenGeneration,
};

/** Finds an account by email or username, case-insensitively (served by the lower() indexes). */
export async function findAccountByIdentifier(
  db: Database,
  by: { email: string } | { username: string },
): Promise<AccountCredentials | undefined> {
  const where =
    'email' in by
      ? sql`lower(${users.email}) = lower(${by.email})`
      : sql`lower(${users.username}) = lower(${by.username})`;
  const [row] = await db.select(credentialColumns).from(users).where(where).limit(1);
  return row;
}

export async function findAccountById(
  db: Database,
  userId: string,
): Promise<AccountCredentials | undefined> {
  const [row] = await db.select(credentialColumns).from(users).where(eq(users.id, userId)).limit(1);
  return row;
}

/**
 * New password; retires every access token and revokes every session family of the user
 * except `keepFamilyId` (whose next refresh signs a token of the new generation).
 */
export async function changePassword(
  db: Database,
  input: { userId: string; passwordHash: string; keepFamilyId?: string },
  now: Date,
): Promise<void> {
  await db.batch([
    db
      .update(users)
      .set({
        passwordHash: input.passwordHash,
        tokenGeneration: NEXT_TOKEN_GENERATION,
        updatedAt: now,
      })
      .where(eq(users.id, input.userId)),
    revokeUserSessions(db, input.userId, now, input.keepFamilyId),
  ]);
}

/** Issues a token for `purpose`; earlier unused ones of the same purpose stop working. */
export async function issueOneTimeToken(
  db: Database,
  input: { userId: string; purpose: OneTimePurpose; token: NewOneTimeToken },
  now: Date,
): Promise<void> {
  await db.batch([
    spendTokens(db, input.userId, input.purpose, now),
    insertOneTimeToken(db, input.userId, input.purpose, input.token, now),
  ]);
}

/** An unused, unexpired token of the purpose, with its (active) account. */
export async function findUsableOneTimeToken(
  db: Database,
  tokenHash: string,
  purpose: OneTimePurpose,
  now: Date,
): Promise<{ id: string; userId: string } | undefined> {
  const [row] = await db
    .select({ id: oneTimeTokens.id, userId: oneTimeTokens.userId })
    .from(oneTimeTokens)
    .innerJoin(users, eq(users.id, oneTimeTokens.userId))
    .where(
      and(
        eq(oneTimeTokens.tokenHash, tokenHash),
        eq(oneTimeTokens.purpose, purpose),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, now),
        eq(users.isActive, true),
      ),
    )
    .limit(1);
  return row;
}

// Every write that spends a token repeats this guard, so of two requests racing with the
// same token only the first batch changes anything.
const tokenUnused = (tokenId: string) =>
  sql`exists (select 1 from ${oneTimeTokens} t where t.id = ${tokenId} and t.used_at is null)`;

/**
 * Verifies the address the token was mailed to: a pending new address replaces the current
 * one, otherwise the current one is marked verified. Every email change spends all earlier
 * tokens, so a live token always belongs to the pending address when there is one. False
 * when the token was spent meanwhile.
 */
export async function consumeEmailVerification(
  db: Database,
  token: { id: string; userId: string },
  now: Date,
): Promise<boolean> {
  const [verified] = await db.batch([
    db
      .update(users)
      .set({
        email: sql`coalesce(${users.pendingEmail}, ${users.email})`,
        pendingEmail: null,
        emailVerified: true,
        updatedAt: now,
      })
      .where(and(eq(users.id, token.userId), tokenUnused(token.id))),
    spendTokens(db, token.userId, 'email_verification', now),
  ]);
  return changedRows(verified) === 1;
}

/** Sets the new password, revokes every session and spends the token, all or nothing. */
export async function consumePasswordReset(
  db: Database,
  token: { id: string; userId: string },
  passwordHash: string,
  now: Date,
): Promise<boolean> {
  const [changed] = await db.batch([
    db
      .update(users)
      .set({ passwordHash, tokenGeneration: NEXT_TOKEN_GENERATION, updatedAt: now })
      .where(and(eq(users.id, token.userId), tokenUnused(token.id))),
    db
      .update(sessions)
      .set({ revokedAt: now })
      .where(
        and(eq(sessions.userId, token.userId), isNull(sessions.revokedAt), tokenUnused(token.id)),
      ),
    spendTokens(db, token.userId, 'password_reset', now),
  ]);
  return changedRows(changed) === 1;
}
