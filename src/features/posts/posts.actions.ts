import type { Database } from '../../db/client';
import type { AuthContext } from '../../env';
import { authorize, type WriteTarget } from '../../lib/access';
import { assertIfMatch, expectedUpdatedAt, nextUpdatedAt } from '../../lib/etag';
import { notFound, preconditionFailed } from '../../lib/problem';
import { deleteImageObjects } from '../../lib/uploads';
import { likePost, unlikePost } from './likes.queries';
import { deletePost, findPost, type PostRow, updatePostBody } from './posts.queries';
import { renderPost } from './posts.view';

/**
 * The post writes as rules, shared by the REST handlers and the GraphQL mutations so both
 * APIs check and change exactly the same way. `ifMatch` is REST's If-Match (GraphQL has none).
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

/** Replaces the body; the post after the edit, as its editor sees it. */
export async function editPost(
  db: Database,
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
  return post;
}

/** Deletes the post, its likes and image rows, then the stored image objects. */
export async function removePost(
  db: Database,
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
  const objectKeys = [current.imageKey, current.imageThumbnailKey].filter(
    (key): key is string => key !== null,
  );
  // The rows are gone already: a failed object delete is logged and left to the orphan sweep.
  await deleteImageObjects(bucket, objectKeys);
}

/** Likes (or, with `liked: false`, unlikes) idempotently; the like count after. */
export async function setLike(
  db: Database,
  input: { postId: string; userId: string; liked: boolean },
): Promise<number> {
  const likeCount = input.liked
    ? await likePost(db, { postId: input.postId, userId: input.userId, now: Date.now() })
    : await unlikePost(db, { postId: input.postId, userId: input.userId });
  if (likeCount === null) throw postNotFound();
  return likeCount;
}
