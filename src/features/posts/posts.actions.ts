import type { Database } from '../../db/client';
import type { AuthContext } from '../../env';
import { authorize, type WriteTarget } from '../../lib/access';
import { type EdgeCachePurge, likeCachePaths, postCachePaths } from '../../lib/edge-cache';
import { assertIfMatch, expectedUpdatedAt, nextUpdatedAt } from '../../lib/etag';
import { notFound, preconditionFailed } from '../../lib/problem';
import { deleteImageObjects } from '../../lib/uploads';
import { likePost, unlikePost } from './likes.queries';
import {
  createPost,
  deletePost,
  findPost,
  type NewPost,
  type PostRow,
  updatePostBody,
} from './posts.queries';
import { renderPost } from './posts.view';

/**
 * The post writes as rules, shared by the REST handlers and the GraphQL mutations so both
 * APIs check and change exactly the same way. `ifMatch` is REST's If-Match (GraphQL has none).
 * Each write purges what it changed from this location's edge cache (src/lib/edge-cache.ts).
 */

export const postNotFound = () => notFound('No post has this id.', 'post_not_found');

const staleWrite = () =>
  preconditionFailed('The post changed while this request was being applied.', 'etag_mismatch');

/** The post as the caller would GET it, after the object-level check and If-Match. */
async function loadForWrite(
  db: Database,
  auth: AuthContext,
  action: 'post.update' | 'post.delete',
  target: WriteTarget,
): Promise<PostRow> {
  const row = await findPost(db, target.id, auth.userId);
  if (!row) throw postNotFound();
  authorize(auth, action, row.authorId);
  await assertIfMatch(target.ifMatch, renderPost(target.origin, row));
  return row;
}

/** Writes a new post; the post as its author sees it. */
export async function publishPost(
  db: Database,
  purge: EdgeCachePurge,
  input: NewPost,
): Promise<PostRow> {
  const row = await createPost(db, input);
  if (!row) throw new Error('The new post was not readable in its own batch.');
  purge(postCachePaths(row.id, row.authorUsername));
  return row;
}

/** Replaces the body; the post after the edit, as its editor sees it. */
export async function editPost(
  db: Database,
  purge: EdgeCachePurge,
  auth: AuthContext,
  target: WriteTarget & { body: string },
): Promise<PostRow> {
  const current = await loadForWrite(db, auth, 'post.update', target);
  const { changed, post } = await updatePostBody(db, {
    id: target.id,
    body: target.body,
    updatedAt: nextUpdatedAt(current.updatedAt),
    expectedUpdatedAt: expectedUpdatedAt(target.ifMatch, current.updatedAt),
    viewerId: auth.userId,
  });
  if (!post) throw postNotFound();
  if (!changed) throw staleWrite();
  purge(postCachePaths(post.id, post.authorUsername));
  return post;
}

/** Deletes the post, its likes and image rows, then the stored image objects. */
export async function removePost(
  db: Database,
  purge: EdgeCachePurge,
  bucket: R2Bucket,
  auth: AuthContext,
  target: WriteTarget,
): Promise<void> {
  const current = await loadForWrite(db, auth, 'post.delete', target);
  const deleted = await deletePost(db, {
    id: target.id,
    authorId: current.authorId,
    imageKey: current.imageKey,
    expectedUpdatedAt: expectedUpdatedAt(target.ifMatch, current.updatedAt),
  });
  if (!deleted) throw target.ifMatch === undefined ? postNotFound() : staleWrite();
  purge(postCachePaths(current.id, current.authorUsername));
  const objectKeys = [current.imageKey, current.imageThumbnailKey].filter(
    (key): key is string => key !== null,
  );
  // The rows are gone already: a failed object delete is logged and left to the orphan sweep.
  await deleteImageObjects(bucket, objectKeys);
}

/** Likes (or, with `liked: false`, unlikes) idempotently; the like count after. */
export async function setLike(
  db: Database,
  purge: EdgeCachePurge,
  input: { postId: string; liker: Pick<AuthContext, 'userId' | 'username'>; liked: boolean },
): Promise<number> {
  const { postId, liker } = input;
  const likeCount = input.liked
    ? await likePost(db, { postId, userId: liker.userId, now: Date.now() })
    : await unlikePost(db, { postId, userId: liker.userId });
  if (likeCount === null) throw postNotFound();
  purge(likeCachePaths(postId, liker.username));
  return likeCount;
}
