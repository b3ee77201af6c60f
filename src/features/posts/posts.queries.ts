import { and, desc, eq, inArray, type Placeholder, sql } from 'drizzle-orm';
import { batchNamed } from '../../db/batch';
import type { Database } from '../../db/client';
import { keysetBefore } from '../../db/keyset';
import { preparedSelect } from '../../db/prepared';
import { affectedRows } from '../../db/result';
import { images, likes, posts, profiles, users } from '../../db/schema';
import { chunkForParameters } from '../../lib/chunks';
import type { Keyset } from '../../lib/pagination';

/** Everything a rendered post needs, in one row: author, avatar, image and the viewer's like. */
function postColumns(viewerId: string | Placeholder | null) {
  return {
    id: posts.id,
    body: posts.body,
    likeCount: posts.likeCount,
    createdAt: posts.createdAt,
    updatedAt: posts.updatedAt,
    authorId: posts.userId,
    authorUsername: users.username,
    authorAvatarKey: profiles.avatarKey,
    // The rest of the author (for GraphQL's Post.author, so it needs no statement of its own).
    // Aliased: D1 batches return rows by column name, and posts has a created_at too.
    authorCreatedAt: sql`${users.createdAt}`.mapWith(users.createdAt).as('author_created_at'),
    authorBio: profiles.bio,
    authorCity: profiles.city,
    authorPostCount: profiles.postCount,
    imageKey: images.key,
    imageThumbnailKey: images.thumbnailKey,
    imageWidth: images.width,
    imageHeight: images.height,
    imageContentType: images.contentType,
    // Anonymous readers like nothing: no lookup at all rather than one that finds nothing.
    likedByMe: (viewerId === null
      ? sql<number>`0`
      : sql<number>`exists (select 1 from ${likes} viewer_like where viewer_like.post_id = ${posts.id} and viewer_like.user_id = ${viewerId})`
    ).as('liked_by_me'),
  };
}

export type PostRow = NonNullable<Awaited<ReturnType<typeof findPost>>>;

function selectPosts(db: Database, viewerId: string | Placeholder | null) {
  return db
    .select(postColumns(viewerId))
    .from(posts)
    .innerJoin(users, eq(users.id, posts.userId))
    .leftJoin(profiles, eq(profiles.userId, posts.userId))
    .leftJoin(images, eq(images.key, posts.imageKey));
}

const userIdByName = (name: string | Placeholder) =>
  sql`(select filter_user.id from ${users} filter_user where lower(filter_user.username) = lower(${name}))`;

const asViewer = (viewerId: string | null) => (viewerId === null ? 'anonymous' : 'viewer');

const selectPostById = preparedSelect((db, shape: 'anonymous' | 'viewer') =>
  selectPosts(db, shape === 'viewer' ? sql.placeholder('viewerId') : null)
    .where(eq(posts.id, sql.placeholder('id')))
    .limit(1),
);

export async function findPost(db: Database, id: string, viewerId: string | null) {
  const [row] = await selectPostById(db, asViewer(viewerId), { id, viewerId });
  return row;
}

type PostPageShape = `${'anonymous' | 'viewer'} ${'all' | 'by_author'} ${'first' | 'after'}`;

const selectPostPage = preparedSelect((db, shape: PostPageShape) => {
  const [viewer, author, page] = shape.split(' ');
  return selectPosts(db, viewer === 'viewer' ? sql.placeholder('viewerId') : null)
    .where(
      and(
        author === 'by_author'
          ? sql`${posts.userId} = ${userIdByName(sql.placeholder('author'))}`
          : undefined,
        page === 'after'
          ? keysetBefore(posts.createdAt, posts.id, {
              at: sql.placeholder('afterAt'),
              id: sql.placeholder('afterId'),
            })
          : undefined,
      ),
    )
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(sql.placeholder('limit'));
});

/** Newest first over (created_at, id); fetches limit + 1 rows so the caller knows if more exist. */
export function listPosts(
  db: Database,
  input: { viewerId: string | null; author?: string; position: Keyset | null; limit: number },
) {
  const { viewerId, author, position, limit } = input;
  const shape: PostPageShape = `${asViewer(viewerId)} ${author === undefined ? 'all' : 'by_author'} ${position ? 'after' : 'first'}`;
  return selectPostPage(db, shape, {
    viewerId,
    author,
    afterAt: position?.at,
    afterId: position?.id,
    limit: limit + 1,
  });
}

/** Posts a user likes, most recently liked first over (liked_at, post_id). */
export function listPostsLikedBy(
  db: Database,
  input: {
    viewerId: string | null;
    likedBy: string;
    author?: string;
    position: Keyset | null;
    limit: number;
  },
) {
  return db
    .select({
      ...postColumns(input.viewerId),
      likedAt: sql<number>`${likes.createdAt}`.as('liked_at'),
    })
    .from(likes)
    .innerJoin(posts, eq(posts.id, likes.postId))
    .innerJoin(users, eq(users.id, posts.userId))
    .leftJoin(profiles, eq(profiles.userId, posts.userId))
    .leftJoin(images, eq(images.key, posts.imageKey))
    .where(
      and(
        sql`${likes.userId} = ${userIdByName(input.likedBy)}`,
        input.author === undefined
          ? undefined
          : sql`${posts.userId} = ${userIdByName(input.author)}`,
        keysetBefore(likes.createdAt, likes.postId, input.position),
      ),
    )
    .orderBy(desc(likes.createdAt), desc(likes.postId))
    .limit(input.limit + 1);
}

/**
 * Posts by id in chunks that respect D1's bound-parameter limit; unknown ids are skipped. One id
 * (GraphQL's `post(id:)`) is the prepared statement of findPost, built once per isolate.
 */
export async function findPostsByIds(
  db: Database,
  ids: readonly string[],
  viewerId: string | null,
) {
  const unique = [...new Set(ids)];
  if (unique.length === 1 && unique[0] !== undefined) {
    const row = await findPost(db, unique[0], viewerId);
    return row ? [row] : [];
  }
  const fixed = viewerId === null ? 0 : 1;
  const chunks = chunkForParameters(unique, 1, fixed);
  if (chunks.length === 0) return [];
  const [first, ...rest] = chunks.map((part) =>
    selectPosts(db, viewerId).where(inArray(posts.id, part)),
  );
  const results = first ? await db.batch([first, ...rest]) : [];
  const byId = new Map(results.flat().map((row) => [row.id, row]));
  return unique.flatMap((id) => byId.get(id) ?? []);
}

const postExists = (id: string, updatedAt?: Date) =>
  updatedAt === undefined
    ? sql`exists (select 1 from ${posts} where ${posts.id} = ${id})`
    : sql`exists (select 1 from ${posts} where ${posts.id} = ${id} and ${posts.updatedAt} = ${updatedAt.getTime()})`;

export interface NewPost {
  id: string;
  authorId: string;
  body: string;
  imageKey?: string | null;
  now: number;
}

/**
 * One batch: the author's post_count goes up only if the post row is new (checked before the
 * insert, in the same transaction), so re-running it for the same id changes nothing.
 */
export async function createPost(db: Database, input: NewPost) {
  const { post } = await batchNamed(db, createPostStatements(db, input));
  return post[0];
}

/**
 * The statements of createPost, for a caller that adds them to a larger batch (an upload's
 * images row first). `post` reads the post back.
 */
export function createPostStatements(db: Database, input: NewPost) {
  return {
    postCount: db
      .update(profiles)
      .set({ postCount: sql`${profiles.postCount} + 1` })
      .where(and(eq(profiles.userId, input.authorId), sql`not ${postExists(input.id)}`)),
    insert: db
      .insert(posts)
      .values({
        id: input.id,
        userId: input.authorId,
        body: input.body,
        imageKey: input.imageKey ?? null,
        createdAt: new Date(input.now),
        updatedAt: new Date(input.now),
      })
      .onConflictDoNothing({ target: posts.id }),
    post: selectPosts(db, input.authorId).where(eq(posts.id, input.id)).limit(1),
  };
}

/**
 * Sets the body; with `expectedUpdatedAt` only if nobody changed the post since it was read
 * (the If-Match race between check and write). Returns whether it changed and the post after.
 */
export async function updatePostBody(
  db: Database,
  input: {
    id: string;
    body: string;
    updatedAt: Date;
    expectedUpdatedAt?: Date;
    viewerId: string;
  },
) {
  const [result, rows] = await db.batch([
    db
      .update(posts)
      .set({ body: input.body, updatedAt: input.updatedAt })
      .where(
        and(
          eq(posts.id, input.id),
          input.expectedUpdatedAt ? eq(posts.updatedAt, input.expectedUpdatedAt) : undefined,
        ),
      ),
    selectPosts(db, input.viewerId).where(eq(posts.id, input.id)).limit(1),
  ]);
  return { changed: affectedRows(result) === 1, post: rows[0] };
}

/**
 * One batch, every step guarded by the post still being there (and unchanged, with
 * `expectedUpdatedAt`): the author's post_count, the likes, the post, then its image row.
 * A concurrent second delete therefore decrements nothing. Returns whether it deleted.
 */
export async function deletePost(
  db: Database,
  input: { id: string; authorId: string; imageKey: string | null; expectedUpdatedAt?: Date },
) {
  const guard = postExists(input.id, input.expectedUpdatedAt);
  const { post } = await batchNamed(db, {
    postCount: db
      .update(profiles)
      .set({ postCount: sql`max(${profiles.postCount} - 1, 0)` })
      .where(and(eq(profiles.userId, input.authorId), guard)),
    likes: db.delete(likes).where(and(eq(likes.postId, input.id), guard)),
    post: db
      .delete(posts)
      .where(
        and(
          eq(posts.id, input.id),
          input.expectedUpdatedAt ? eq(posts.updatedAt, input.expectedUpdatedAt) : undefined,
        ),
      ),
    ...(input.imageKey === null
      ? {}
      : {
          image: db
            .delete(images)
            .where(
              and(
                eq(images.key, input.imageKey),
                sql`not exists (select 1 from ${posts} where ${posts.imageKey} = ${input.imageKey})`,
              ),
            ),
        }),
  });
  return affectedRows(post) === 1;
}
