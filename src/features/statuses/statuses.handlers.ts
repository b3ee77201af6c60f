import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { authorize } from '../../lib/access';
import { currentUser } from '../../lib/auth';
import { assertIfMatch, expectedUpdatedAt, nextUpdatedAt, setEtag } from '../../lib/etag';
import { respondCreated } from '../../lib/idempotency';
import { keysetPage } from '../../lib/pagination';
import { notFound, preconditionFailed } from '../../lib/problem';
import {
  findStatus,
  createStatus as insertStatus,
  deleteStatus as removeStatus,
  type StatusRow,
  listStatuses as selectStatusPage,
  updateStatusContent,
} from './statuses.queries';
import type * as routes from './statuses.routes';
import { STATUSES_PATH } from './statuses.schemas';
import { renderStatus } from './statuses.view';

const originOf = (c: Context) => new URL(c.req.url).origin;
const statusNotFound = () => notFound('No status has this id.', 'status_not_found');
const staleWrite = () =>
  preconditionFailed('The status changed while this request was being applied.', 'etag_mismatch');

export const listStatuses: RouteHandler<typeof routes.listStatuses, AppEnv> = async (c) => {
  const { limit, cursor, username } = c.req.valid('query');
  const origin = originOf(c);
  const page = await keysetPage(c, {
    scope: JSON.stringify(['statuses', username?.toLowerCase() ?? null]),
    cursor,
    limit,
    fetch: (position) => selectStatusPage(c.get('db'), { username, position, limit }),
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
      const row = await insertStatus(c.get('db'), {
        id,
        authorId: auth.userId,
        content: input.content,
        now: Date.now(),
      });
      if (!row) throw new Error('The new status was not readable in its own batch.');
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

/** The status after the object-level check and If-Match against what GET would send. */
async function loadForWrite(
  c: Context<AppEnv>,
  id: string,
  action: 'status.update' | 'status.delete',
  ifMatch: string | undefined,
): Promise<StatusRow> {
  const row = await findStatus(c.get('db'), id);
  if (!row) throw statusNotFound();
  authorize(currentUser(c), action, row.authorId);
  await assertIfMatch(ifMatch, renderStatus(originOf(c), row));
  return row;
}

export const updateStatus: RouteHandler<typeof routes.updateStatus, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const { 'if-match': ifMatch } = c.req.valid('header');
  const { content } = c.req.valid('json');
  const current = await loadForWrite(c, id, 'status.update', ifMatch);
  const { changed, status } = await updateStatusContent(c.get('db'), {
    id,
    content,
    updatedAt: nextUpdatedAt(current.updatedAt),
    expectedUpdatedAt: expectedUpdatedAt(ifMatch, current.updatedAt),
  });
  if (!status) throw statusNotFound();
  if (!changed) throw staleWrite();
  const view = renderStatus(originOf(c), status);
  await setEtag(c, view);
  return c.json(view, 200);
};

export const deleteStatus: RouteHandler<typeof routes.deleteStatus, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const { 'if-match': ifMatch } = c.req.valid('header');
  const current = await loadForWrite(c, id, 'status.delete', ifMatch);
  const deleted = await removeStatus(c.get('db'), {
    id,
    expectedUpdatedAt: expectedUpdatedAt(ifMatch, current.updatedAt),
  });
  if (!deleted) throw ifMatch === undefined ? statusNotFound() : staleWrite();
  return c.body(null, 204);
};
