import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../env';
import { currentUser } from '../../lib/auth';
import { authorOf } from '../../lib/author';
import { iso } from '../../lib/media-urls';
import { keysetPage } from '../../lib/pagination';
import { notFound } from '../../lib/problem';
import {
  likePost as addLike,
  listLikes,
  postExists,
  unlikePost as removeLike,
} from './likes.queries';
import type * as routes from './likes.routes';

const postNotFound = () => notFound('No post has this id.', 'post_not_found');

export const likePost: RouteHandler<typeof routes.likePost, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const likeCount = await addLike(c.get('db'), {
    postId: id,
    userId: currentUser(c).userId,
    now: Date.now(),
  });
  if (likeCount === null) throw postNotFound();
  return c.json({ like_count: likeCount, liked_by_me: true }, 200);
};

export const unlikePost: RouteHandler<typeof routes.unlikePost, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const likeCount = await removeLike(c.get('db'), { postId: id, userId: currentUser(c).userId });
  if (likeCount === null) throw postNotFound();
  return c.json({ like_count: likeCount, liked_by_me: false }, 200);
};

export const listPostLikes: RouteHandler<typeof routes.listPostLikes, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const { limit, cursor } = c.req.valid('query');
  const db = c.get('db');
  const origin = new URL(c.req.url).origin;
  const page = await keysetPage(c, {
    scope: JSON.stringify(['post.likes', id]),
    cursor,
    limit,
    fetch: async (position) => {
      const rows = await listLikes(db, { postId: id, position, limit });
      // A like proves its post exists; only an empty page needs the extra lookup.
      if (rows.length === 0 && !(await postExists(db, id))) throw postNotFound();
      return rows;
    },
    positionOf: (row) => ({ at: row.likedAt.getTime(), id: row.userId }),
    render: (row) => ({
      ...authorOf(origin, row.username, row.avatarKey),
      liked_at: iso(row.likedAt),
    }),
  });
  return c.json(page, 200);
};
