import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { likes, posts, profiles, users } from '../../db/schema';
import type { Keyset } from '../../lib/pagination';

const likeExists = (postId: string, userId: string) =>
  sql`exists (select 1 from ${likes} where ${likes.postId} = ${postId} and ${likes.userId} = ${userId})`;

/**
 * One batch (one transaction): the count moves only when the like row is really added, which
 * is checked before the insert in the same transaction, so concurrent likes by N users end at
 * exactly N and a repeated PUT changes nothing. Null when the post does not exist.
 */
export async function likePost(
  db: Database,
  input: { postId: string; userId: string; now: number },
) {
  const [, , rows] = await db.batch([
    db
      .update(posts)
      .set({ likeCount: sql`${posts.likeCount} + 1` })
      .where(and(eq(posts.id, input.postId), sql`not ${likeExists(input.postId, input.userId)}`)),
    db
      .insert(likes)
      .select(
        sql`select ${input.postId}, ${input.userId}, ${input.now} where exists (select 1 from ${posts} where ${posts.id} = ${input.postId})`,
      )
      .onConflictDoNothing(),
    db.select({ likeCount: posts.likeCount }).from(posts).where(eq(posts.id, input.postId)),
  ]);
  return rows[0]?.likeCount ?? null;
}

/** The mirror of likePost: the count moves only when a like row is really removed. */
export async function unlikePost(db: Database, input: { postId: string; userId: string }) {
  const [, , rows] = await db.batch([
    db
      .update(posts)
      .set({ likeCount: sql`max(${posts.likeCount} - 1, 0)` })
      .where(and(eq(posts.id, input.postId), likeExists(input.postId, input.userId))),
    db.delete(likes).where(and(eq(likes.postId, input.postId), eq(likes.userId, input.userId))),
    db.select({ likeCount: posts.likeCount }).from(posts).where(eq(posts.id, input.postId)),
  ]);
  return rows[0]?.likeCount ?? null;
}

/** Who likes a post, most recent first over (liked_at, user_id); limit + 1 rows. */
export function listLikes(
  db: Database,
  input: { postId: string; position: Keyset | null; limit: number },
) {
  return db
    .select({
      userId: likes.userId,
      likedAt: likes.createdAt,
      username: users.username,
      avatarKey: profiles.avatarKey,
    })
    .from(likes)
    .innerJoin(users, eq(users.id, likes.userId))
    .leftJoin(profiles, eq(profiles.userId, likes.userId))
    .where(
      and(
        eq(likes.postId, input.postId),
        input.position
          ? sql`(${likes.createdAt}, ${likes.userId}) < (${input.position.at}, ${input.position.id})`
          : undefined,
      ),
    )
    .orderBy(desc(likes.createdAt), desc(likes.userId))
    .limit(input.limit + 1);
}

export async function postExists(db: Database, id: string): Promise<boolean> {
  const [row] = await db.select({ id: posts.id }).from(posts).where(eq(posts.id, id)).limit(1);
  return row !== undefined;
}
