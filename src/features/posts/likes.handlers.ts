import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../env';
import { currentUser } from '../../lib/auth';
import { authorOf } from '../../lib/author';
import { listScopes } from '../../lib/list-scopes';
import { iso, originOf } from '../../lib/media-urls';
import { keysetPage } from '../../lib/pagination';
import { listLikes, postExists } from './likes.queries';
import type * as routes from './likes.routes';
import { postNotFound, setLike } from './posts.actions';

export const likePost: RouteHandler<typeof routes.likePost, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const likeCount = await setLike(c.get('db'), {
    postId: id,
    userId: currentUser(c).userId,
    liked: true,
  });
  return c.json({ like_count: likeCount, liked_by_me: true }, 200);
};

export const unlikePost: RouteHandler<typeof routes.unlikePost, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const likeCount = await setLike(c.get('db'), {
    postId: id,
    userId: currentUser(c).userId,
    liked: false,
  });
  return c.json({ like_count: likeCount, liked_by_me: false }, 200);
};

export const listPostLikes: RouteHandler<typeof routes.listPostLikes, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const { limit, cursor } = c.req.valid('query');
  const db = c.get('db');
  const origin = originOf(c);
  const page = await keysetPage(c, {
    scope: listScopes.postLikes(id),
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
