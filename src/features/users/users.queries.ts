import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { likes, oneTimeTokens, posts, profiles, users } from '../../db/schema';
import type { UserRow } from '../../lib/accounts';

export async function findUser(db: Database, userId: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
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

export interface AccountChanges {
  username?: string;
  /** The email as typed; may only re-case the current address. */
  email?: string;
  /** Present when the address really changes: it becomes unverified and gets this token. */
  verification?: { id: string; tokenHash: string; expiresAt: Date };
}

/**
 * Changes username and/or email in one batch. A new address is unverified, and tokens sent to
 * the old one stop working, so they can never verify the new one. A taken name fails the
 * batch on the case-insensitive unique indexes.
 */
export async function updateAccount(
  db: Database,
  userId: string,
  changes: AccountChanges,
  now: Date,
): Promise<void> {
  const { username, email, verification } = changes;
  const update = db
    .update(users)
    .set({
      updatedAt: now,
      ...(username !== undefined ? { username } : {}),
      ...(email !== undefined ? { email } : {}),
      ...(verification ? { emailVerified: false } : {}),
    })
    .where(eq(users.id, userId));
  if (!verification) {
    await update;
    return;
  }
  await db.batch([
    update,
    db
      .update(oneTimeTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(oneTimeTokens.userId, userId),
          eq(oneTimeTokens.purpose, 'email_verification'),
          isNull(oneTimeTokens.usedAt),
        ),
      ),
    db.insert(oneTimeTokens).values({
      ...verification,
      userId,
      purpose: 'email_verification',
      createdAt: now,
    }),
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
