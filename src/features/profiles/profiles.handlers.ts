import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../env';
import { currentUser } from '../../lib/auth';
import { edgeCachePurge } from '../../lib/edge-cache';
import { setEtag } from '../../lib/etag';
import { listScopes } from '../../lib/list-scopes';
import { originOf } from '../../lib/media-urls';
import { keysetPage } from '../../lib/pagination';
import { notFound } from '../../lib/problem';
import { editProfile, profileNotFound } from './profiles.actions';
import {
  findProfileByUserId,
  findProfileByUsername,
  listProfiles as selectProfilePage,
} from './profiles.queries';
import type * as routes from './profiles.routes';
import { renderProfile } from './profiles.view';

export const listProfiles: RouteHandler<typeof routes.listProfiles, AppEnv> = async (c) => {
  const { limit, cursor, q } = c.req.valid('query');
  const origin = originOf(c);
  const page = await keysetPage(c, {
    scope: listScopes.profiles(q),
    cursor,
    limit,
    fetch: (position) => selectProfilePage(c.get('db'), { q, position, limit }),
    positionOf: (row) => ({ at: row.createdAt.getTime(), id: row.userId }),
    render: (row) => renderProfile(origin, row),
  });
  return c.json(page, 200);
};

export const getProfile: RouteHandler<typeof routes.getProfile, AppEnv> = async (c) => {
  const { username } = c.req.valid('param');
  const row = await findProfileByUsername(c.get('db'), username);
  if (!row) throw profileNotFound();
  return c.json(renderProfile(originOf(c), row), 200);
};

export const getMyProfile: RouteHandler<typeof routes.getMyProfile, AppEnv> = async (c) => {
  const row = await findProfileByUserId(c.get('db'), currentUser(c).userId);
  if (!row) throw notFound('The signed-in account has no profile.', 'profile_not_found');
  return c.json(renderProfile(originOf(c), row), 200);
};

export const updateMyProfile: RouteHandler<typeof routes.updateMyProfile, AppEnv> = async (c) => {
  const { 'if-match': ifMatch } = c.req.valid('header');
  const profile = await editProfile(c.get('db'), edgeCachePurge(c), currentUser(c).userId, {
    ...c.req.valid('json'),
    ifMatch,
    origin: originOf(c),
  });
  const view = renderProfile(originOf(c), profile);
  await setEtag(c, view);
  return c.json(view, 200);
};
