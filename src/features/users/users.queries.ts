import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { likes, posts, profiles, users } from '../../db/schema';
import type { UserRow } from '../../lib/accounts';
import { insertOneTimeToken, type NewOneTimeToken, spendTokens } from '../../lib/one-time-tokens';

export async function findUser(db: Database, userId: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      pendingEmail: users.pendingEmail,
      username: users.username,
      emailVerified: users.emailVerified,
      isAdmin: users.isAdmin,
      createdAt: users.createdAt,
      bio: profiles.bio,
      city: profiles.city,
      avatarKey: profiles.avatarKey,
      postCount: profiles.postCount,
    })
    .from(users)
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  return row;
}

/** True when another account uses this address (case-insensitively, on the unique index). */
export async function emailTakenByAnother(
  db: Database,
  email: string,
  userId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = lower(${email})`, ne(users.id, userId)))
    .limit(1);
  return row !== undefined;
}

export interface AccountChanges {
  username?: string;
  /** The current address in other letter case. */
  recasedEmail?: string;
  /** A new address to hold until verified, or null to drop the pending one. */
  pendingEmail?: string | null;
  /** With a new pending address: the token mailed to it. */
  verification?: NewOneTimeToken;
}

/**
 * Changes username and/or email in one batch. A change of the pending address spends every
 * unused token of the account (resets and verifications), so nothing mailed before can act
 * on the new state; the one new token is for the new address. A taken username fails the
 * batch on the case-insensitive unique index.
 */
export async function updateAccount(
  db: Database,
  userId: string,
  changes: AccountChanges,
  now: Date,
): Promise<void> {
  const { username, recasedEmail, pendingEmail, verification } = changes;
  const update = db
    .update(users)
    .set({
      updatedAt: now,
      ...(username !== undefined ? { username } : {}),
      ...(recasedEmail !== undefined ? { email: recasedEmail } : {}),
      ...(pendingEmail !== undefined ? { pendingEmail } : {}),
    })
    .where(eq(users.id, userId));
  if (pendingEmail === undefined) {
    await update;
    return;
  }
  const spend = spendTokens(db, userId, 'all', now);
  if (!verification) {
    await db.batch([update, spend]);
    return;
  }
  await db.batch([
    update,
    spend,
    insertOneTimeToken(db, userId, 'email_verification', verification, now),
  ]);
}

/**
 * Deletes the account in one batch. Its rows in profiles, sessions, tokens, statuses, posts
 * (with their likes), likes, images and idempotency keys go by ON DELETE CASCADE; the only
 * thing outside it is the like count of other people's posts it liked, fixed first.
 */
export async function deleteAccount(db: Database, userId: string): Promise<void> {
  const likedPosts = db.select({ id: likes.postId }).from(likes).where(eq(likes.userId, userId));
  await db.batch([
    db
      .update(posts)
      .set({ likeCount: sql`max(${posts.likeCount} - 1, 0)` })
      .where(and(inArray(posts.id, likedPosts), ne(posts.userId, userId))),
    db.delete(users).where(eq(users.id, userId)),
  ]);
}
