import { and, desc, eq, sql } from 'drizzle-orm';
import { batchNamed } from '../../db/batch';
import type { Database } from '../../db/client';
import { keysetBefore } from '../../db/keyset';
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
  const { post } = await batchNamed(db, {
    likeCount: db
      .update(posts)
      .set({ likeCount: sql`${posts.likeCount} + 1` })
      .where(and(eq(posts.id, input.postId), sql`not ${likeExists(input.postId, input.userId)}`)),
    like: db
      .insert(likes)
      .select(
        sql`select ${input.postId}, ${input.userId}, ${input.now} where exists (select 1 from ${posts} where ${posts.id} = ${input.postId})`,
      )
      .onConflictDoNothing(),
    post: db.select({ likeCount: posts.likeCount }).from(posts).where(eq(posts.id, input.postId)),
  });
  return post[0]?.likeCount ?? null;
}

/** The mirror of likePost: the count moves only when a like row is really removed. */
export async function unlikePost(db: Database, input: { postId: string; userId: string }) {
  const { post } = await batchNamed(db, {
    likeCount: db
      .update(posts)
      .set({ likeCount: sql`max(${posts.likeCount} - 1, 0)` })
      .where(and(eq(posts.id, input.postId), likeExists(input.postId, input.userId))),
    like: db
      .delete(likes)
      .where(and(eq(likes.postId, input.postId), eq(likes.userId, input.userId))),
    post: db.select({ likeCount: posts.likeCount }).from(posts).where(eq(posts.id, input.postId)),
  });
  return post[0]?.likeCount ?? null;
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
        keysetBefore(likes.createdAt, likes.userId, input.position),
      ),
    )
    .orderBy(desc(likes.createdAt), desc(likes.userId))
    .limit(input.limit + 1);
}

export async function postExists(db: Database, id: string): Promise<boolean> {
  const [row] = await db.select({ id: posts.id }).from(posts).where(eq(posts.id, id)).limit(1);
  return row !== undefined;
}

export interface LikeOfPost {
  postId: string;
  userId: string;
  likedAt: number;
}

/**
 * The most recent likes of many posts in one statement: for each post `limit + 1` rows after
 * `position` through the (post_id, created_at, user_id) index, so the rows read depend on the
 * page, never on how many likes a post has. The ids travel as one JSON array (json_each), so
 * any number of posts binds one parameter, far below D1's limit of 100.
 */
export async function listLikesOfPosts(
  db: Database,
  input: { postIds: readonly string[]; position: Keyset | null; limit: number },
): Promise<Map<string, LikeOfPost[]>> {
  const { position } = input;
  const byPost = new Map<string, LikeOfPost[]>();
  if (input.postIds.length === 0) return byPost;
  const after = position
    ? sql` and ${keysetBefore(likes.createdAt, likes.userId, position)}`
    : sql``;
  const rows = await db.all<{ post_id: string; page: string }>(sql`
    select ids.value as post_id,
      (select json_group_array(json_array(page.user_id, page.created_at))
        from (select ${likes.userId} as user_id, ${likes.createdAt} as created_at from ${likes}
          where ${likes.postId} = ids.value${after}
          order by ${likes.createdAt} desc, ${likes.userId} desc limit ${input.limit + 1}) page
      ) as page
    from json_each(${JSON.stringify([...new Set(input.postIds)])}) ids`);
  for (const row of rows) {
    const page = (JSON.parse(row.page) as [string, number][])
      .map(([userId, likedAt]) => ({ postId: row.post_id, userId, likedAt }))
      // json_group_array does not promise the subquery's order: newest first, as the keyset.
      .sort((a, b) => b.likedAt - a.likedAt || (a.userId < b.userId ? 1 : -1));
    byPost.set(row.post_id, page);
  }
  return byPost;
}
