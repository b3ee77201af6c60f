import DataLoader from 'dataloader';
import type { Context } from 'hono';
import type { Database } from '../../db/client';
import type { AppEnv, AuthContext, Bindings, Config } from '../../env';
import { type EdgeCachePurge, edgeCachePurge } from '../../lib/edge-cache';
import { originOf } from '../../lib/media-urls';
import type { Keyset } from '../../lib/pagination';
import { type LikeOfPost, listLikesOfPosts } from '../posts/likes.queries';
import { findPostsByIds, type PostRow } from '../posts/posts.queries';
import { findProfilesByUserIds, type ProfileRow } from '../profiles/profiles.queries';

/** What every resolver gets: the request's database session, caller and loaders. */
// A type, not an interface: graphql-http wants a context assignable to a record.
export type GraphQLContext = {
  db: Database;
  env: Bindings;
  config: Config;
  /** The caller, from the same bearer-token middleware as REST; undefined when anonymous. */
  auth: AuthContext | undefined;
  origin: string;
  requestId: string;
  loaders: Loaders;
  /** Drops what a mutation changed from this location's edge cache. */
  purge: EdgeCachePurge;
};

/** A User as resolvers pass it on: a user row joined with its profile. */
// The GraphQL Profile has no avatar thumbnail (yet), so rows without it (the viewer's) fit too.
export type UserNode = Omit<ProfileRow, 'updatedAt' | 'avatarThumbnailKey'>;

export interface LikesPageKey {
  postId: string;
  position: Keyset | null;
  /** The page size (the query fetches one more, to tell whether more follow). */
  limit: number;
}

const byKey = <K, V>(keys: readonly K[], rows: Map<K, V>) => keys.map((k) => rows.get(k) ?? null);

/**
 * One DataLoader per edge, new for every request (so nothing is cached across callers).
 * Each batches all the keys asked for at one level of the query into one statement (chunked
 * for D1's bound-parameter limit). Profiles and likedByViewer come in the user and post rows.
 */
function createLoaders(db: Database, viewerId: string | null) {
  return {
    userById: new DataLoader<string, UserNode | null>(async (ids) => {
      const rows = await findProfilesByUserIds(db, ids);
      return byKey(ids, new Map(rows.map((row) => [row.userId, row])));
    }),
    postById: new DataLoader<string, PostRow | null>(async (ids) => {
      const rows = await findPostsByIds(db, ids, viewerId);
      return byKey(ids, new Map(rows.map((row) => [row.id, row])));
    }),
    // Pages asked for with the same size and position share one statement.
    likesOfPost: new DataLoader<LikesPageKey, LikeOfPost[], string>(
      async (keys) => {
        const groups = new Map<string, LikesPageKey[]>();
        for (const key of keys) {
          const group = JSON.stringify([key.limit, key.position]);
          groups.set(group, [...(groups.get(group) ?? []), key]);
        }
        const found = new Map<LikesPageKey, LikeOfPost[]>();
        await Promise.all(
          [...groups.values()].map(async (group) => {
            const [first] = group;
            if (!first) return;
            const byPost = await listLikesOfPosts(db, {
              postIds: group.map((k) => k.postId),
              position: first.position,
              limit: first.limit,
            });
            for (const key of group) found.set(key, byPost.get(key.postId) ?? []);
          }),
        );
        return keys.map((key) => found.get(key) ?? []);
      },
      { cacheKeyFn: (key) => JSON.stringify([key.postId, key.limit, key.position]) },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export function createContext(c: Context<AppEnv>): GraphQLContext {
  const auth = c.get('auth');
  const db = c.get('db');
  return {
    db,
    env: c.env,
    config: c.get('config'),
    auth,
    origin: originOf(c),
    requestId: c.get('requestId') ?? '',
    loaders: createLoaders(db, auth?.userId ?? null),
    purge: edgeCachePurge(c),
  };
}
