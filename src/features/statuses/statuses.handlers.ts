import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../env';
import { currentUser } from '../../lib/auth';
import { edgeCachePurge } from '../../lib/edge-cache';
import { setEtag } from '../../lib/etag';
import { respondCreated } from '../../lib/idempotency';
import { listScopes } from '../../lib/list-scopes';
import { originOf } from '../../lib/media-urls';
import { keysetPage } from '../../lib/pagination';
import { editStatus, publishStatus, removeStatus, statusNotFound } from './statuses.actions';
import { findStatus, listStatuses as selectStatusPage } from './statuses.queries';
import type * as routes from './statuses.routes';
import { STATUSES_PATH } from './statuses.schemas';
import { renderStatus } from './statuses.view';

export const listStatuses: RouteHandler<typeof routes.listStatuses, AppEnv> = async (c) => {
  const query = c.req.valid('query');
  const { limit, cursor } = query;
  const author = query.author ?? query.username;
  const origin = originOf(c);
  const page = await keysetPage(c, {
    scope: listScopes.statuses(author),
    cursor,
    limit,
    fetch: (position) => selectStatusPage(c.get('db'), { username: author, position, limit }),
    positionOf: (row) => ({ at: row.createdAt.getTime(), id: row.id }),
    render: (row) => renderStatus(origin, row),
  });
  return c.json(page, 200);
};

export const createStatus: RouteHandler<typeof routes.createStatus, AppEnv> = async (c) => {
  const auth = currentUser(c);
  const input = c.req.valid('json');
  const { 'idempotency-key': key } = c.req.valid('header');
  return respondCreated(c, {
    key,
    request: input,
    collectionPath: STATUSES_PATH,
    create: async (id) => {
      const row = await publishStatus(c.get('db'), edgeCachePurge(c), {
        id,
        authorId: auth.userId,
        content: input.content,
        now: Date.now(),
      });
      return renderStatus(originOf(c), row);
    },
  });
};

export const getStatus: RouteHandler<typeof routes.getStatus, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const row = await findStatus(c.get('db'), id);
  if (!row) throw statusNotFound();
  return c.json(renderStatus(originOf(c), row), 200);
};

export const updateStatus: RouteHandler<typeof routes.updateStatus, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const { 'if-match': ifMatch } = c.req.valid('header');
  const { content } = c.req.valid('json');
  const status = await editStatus(c.get('db'), edgeCachePurge(c), currentUser(c), {
    id,
    content,
    ifMatch,
    origin: originOf(c),
  });
  const view = renderStatus(originOf(c), status);
  await setEtag(c, view);
  return c.json(view, 200);
};

export const deleteStatus: RouteHandler<typeof routes.deleteStatus, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const { 'if-match': ifMatch } = c.req.valid('header');
  await removeStatus(c.get('db'), edgeCachePurge(c), currentUser(c), {
    id,
    ifMatch,
    origin: originOf(c),
  });
  return c.body(null, 204);
};
