import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { authorize } from '../../lib/access';
import { currentUser } from '../../lib/auth';
import {
  assertIfMatch,
  expectedUpdatedAt,
  nextUpdatedAt,
  setEtag,
  varyOnAuthorization,
} from '../../lib/etag';
import { respondCreated } from '../../lib/idempotency';
import { keysetPage } from '../../lib/pagination';
import { notFound, preconditionFailed } from '../../lib/problem';
import { deleteImageObjects } from '../../lib/uploads';
import {
  findPost,
  createPost as insertPost,
  listPostsLikedBy,
  type PostRow,
  deletePost as removePost,
  listPosts as selectPostPage,
  updatePostBody,
} from './posts.queries';
import type * as routes from './posts.routes';
import { POSTS_PATH } from './posts.schemas';
import { renderPost } from './posts.view';

const originOf = (c: Context) => new URL(c.req.url).origin;
const postNotFound = () => notFound('No post has this id.', 'post_not_found');

export const listPosts: RouteHandler<typeof routes.listPosts, AppEnv> = async (c) => {
  const { limit, cursor, author, liked_by: likedBy } = c.req.valid('query');
  const viewerId = c.get('auth')?.userId ?? null;
  const db = c.get('db');
  const origin = originOf(c);
  varyOnAuthorization(c);
  // JSON keeps the parts apart, so no two filter combinations can share a scope.
  const scopeOf = (list: string) =>
    JSON.stringify([list, likedBy?.toLowerCase() ?? null, author?.toLowerCase() ?? null]);
  if (likedBy !== undefined) {
    const page = await keysetPage(c, {
      scope: scopeOf('posts.liked_by'),
      cursor,
      limit,
      fetch: (position) => listPostsLikedBy(db, { viewerId, likedBy, author, position, limit }),
      positionOf: (row) => ({ at: row.likedAt, id: row.id }),
      render: (row) => renderPost(origin, row),
    });
    return c.json(page, 200);
  }
  const page = await keysetPage(c, {
    scope: scopeOf('posts'),
    cursor,
    limit,
    fetch: (position) => selectPostPage(db, { viewerId, author, position, limit }),
    positionOf: (row) => ({ at: row.createdAt.getTime(), id: row.id }),
    render: (row) => renderPost(origin, row),
  });
  return c.json(page, 200);
};

export const createPost: RouteHandler<typeof routes.createPost, AppEnv> = async (c) => {
  const auth = currentUser(c);
  const input = c.req.valid('json');
  const { 'idempotency-key': key } = c.req.valid('header');
  return respondCreated(c, {
    key,
    request: input,
    collectionPath: POSTS_PATH,
    create: async (id) => {
      const row = await insertPost(c.get('db'), {
        id,
        authorId: auth.userId,
        body: input.body,
        now: Date.now(),
      });
      if (!row) throw new Error('The new post was not readable in its own batch.');
      return renderPost(originOf(c), row);
    },
  });
};

export const getPost: RouteHandler<typeof routes.getPost, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const row = await findPost(c.get('db'), id, c.get('auth')?.userId ?? null);
  varyOnAuthorization(c);
  if (!row) throw postNotFound();
  return c.json(renderPost(originOf(c), row), 200);
};

/** The post as the caller would GET it, after the object-level check and If-Match. */
async function loadForWrite(
  c: Context<AppEnv>,
  id: string,
  action: 'post.update' | 'post.delete',
  ifMatch: string | undefined,
): Promise<PostRow> {
  const auth = currentUser(c);
  const row = await findPost(c.get('db'), id, auth.userId);
  if (!row) throw postNotFound();
  authorize(auth, action, row.authorId);
  await assertIfMatch(ifMatch, renderPost(originOf(c), row));
  return row;
}

const staleWrite = () =>
  preconditionFailed('The post changed while this request was being applied.', 'etag_mismatch');

export const updatePost: RouteHandler<typeof routes.updatePost, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const { 'if-match': ifMatch } = c.req.valid('header');
  const { body } = c.req.valid('json');
  const current = await loadForWrite(c, id, 'post.update', ifMatch);
  const { changed, post } = await updatePostBody(c.get('db'), {
    id,
    body,
    updatedAt: nextUpdatedAt(current.updatedAt),
    expectedUpdatedAt: expectedUpdatedAt(ifMatch, current.updatedAt),
    viewerId: currentUser(c).userId,
  });
  if (!post) throw postNotFound();
  if (!changed) throw staleWrite();
  const view = renderPost(originOf(c), post);
  await setEtag(c, view);
  return c.json(view, 200);
};

export const deletePost: RouteHandler<typeof routes.deletePost, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const { 'if-match': ifMatch } = c.req.valid('header');
  const current = await loadForWrite(c, id, 'post.delete', ifMatch);
  const deleted = await removePost(c.get('db'), {
    id,
    authorId: current.authorId,
    imageKey: current.imageKey,
    expectedUpdatedAt: expectedUpdatedAt(ifMatch, current.updatedAt),
  });
  if (!deleted) throw ifMatch === undefined ? postNotFound() : staleWrite();
  const objectKeys = [current.imageKey, current.imageThumbnailKey].filter(
    (key): key is string => key !== null,
  );
  // The rows are gone already: a failed object delete is logged and left to the orphan sweep.
  await deleteImageObjects(c.env.BUCKET, objectKeys);
  return c.body(null, 204);
};
