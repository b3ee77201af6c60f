import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../env';
import { currentUser } from '../../lib/auth';
import { edgeCachePurge } from '../../lib/edge-cache';
import { setEtag } from '../../lib/etag';
import { respondCreated } from '../../lib/idempotency';
import { listScopes } from '../../lib/list-scopes';
import { isMultipart } from '../../lib/media-type';
import { originOf } from '../../lib/media-urls';
import { keysetPage } from '../../lib/pagination';
import { createPostFromForm } from './post-image.handlers';
import { editPost, postNotFound, publishPost, removePost } from './posts.actions';
import { findPost, listPostsLikedBy, listPosts as selectPostPage } from './posts.queries';
import type * as routes from './posts.routes';
import { POSTS_PATH } from './posts.schemas';
import { renderPost } from './posts.view';

export const listPosts: RouteHandler<typeof routes.listPosts, AppEnv> = async (c) => {
  const { limit, cursor, author, liked_by: likedBy } = c.req.valid('query');
  const viewerId = c.get('auth')?.userId ?? null;
  const db = c.get('db');
  const origin = originOf(c);
  if (likedBy !== undefined) {
    const page = await keysetPage(c, {
      scope: listScopes.postsLikedBy(likedBy, author),
      cursor,
      limit,
      fetch: (position) => listPostsLikedBy(db, { viewerId, likedBy, author, position, limit }),
      positionOf: (row) => ({ at: row.likedAt, id: row.id }),
      render: (row) => renderPost(origin, row),
    });
    return c.json(page, 200);
  }
  const page = await keysetPage(c, {
    scope: listScopes.posts(author),
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
  const { 'idempotency-key': key } = c.req.valid('header');
  if (isMultipart(c.req.header('Content-Type'))) return createPostFromForm(c, key);
  const input = c.req.valid('json');
  return respondCreated(c, {
    key,
    request: input,
    collectionPath: POSTS_PATH,
    create: async (id) => {
      const row = await publishPost(c.get('db'), edgeCachePurge(c), {
        id,
        authorId: auth.userId,
        body: input.body,
        now: Date.now(),
      });
      return renderPost(originOf(c), row);
    },
  });
};

export const getPost: RouteHandler<typeof routes.getPost, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const row = await findPost(c.get('db'), id, c.get('auth')?.userId ?? null);
  if (!row) throw postNotFound();
  return c.json(renderPost(originOf(c), row), 200);
};

export const updatePost: RouteHandler<typeof routes.updatePost, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const { 'if-match': ifMatch } = c.req.valid('header');
  const { body } = c.req.valid('json');
  const post = await editPost(c.get('db'), edgeCachePurge(c), currentUser(c), {
    id,
    body,
    ifMatch,
    origin: originOf(c),
  });
  const view = renderPost(originOf(c), post);
  await setEtag(c, view);
  return c.json(view, 200);
};

export const deletePost: RouteHandler<typeof routes.deletePost, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const { 'if-match': ifMatch } = c.req.valid('header');
  await removePost(c.get('db'), edgeCachePurge(c), c.env.BUCKET, currentUser(c), {
    id,
    ifMatch,
    origin: originOf(c),
  });
  return c.body(null, 204);
};
