import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { BOOKMARK_HEADER } from './bookmark';
import { etagOfBytes } from './etag';
import { API_PREFIX } from './openapi';
import { PAGE_LIMIT_DEFAULT } from './pagination';
import { REFRESH_COOKIE_NAME } from './refresh-cookie';
import { executionContext } from './request-log';

/**
 * Anonymous public reads from the Workers Cache API (`caches.default`), in the location that
 * serves the request. A write purges, in its own location, the keys it changes (see the
 * `*CachePaths` helpers below); other locations converge within EDGE_CACHE_SECONDS.
 */

// The reads that are the same for every anonymous caller: posts, a post and its likes,
// profiles and a profile (`me` is the caller's own), statuses and a status.
const CACHEABLE_PATHS = [
  /^\/posts$/,
  /^\/posts\/[^/]+$/,
  /^\/posts\/[^/]+\/likes$/,
  /^\/profiles$/,
  /^\/profiles\/(?!me$)[^/]+$/,
  /^\/statuses$/,
  /^\/statuses\/[^/]+$/,
];

// The cookies a cacheable route could read: none does today, but a refresh cookie makes the
// caller someone in particular, so such a request is never answered from the shared cache.
const COOKIES_THAT_MATTER = [REFRESH_COOKIE_NAME];

// What a stored response keeps: the representation, not what differs per request (request id,
// bookmark, CORS, D1 timing), which the outer middleware adds to every answer, hit or miss.
const STORED_HEADERS = ['cache-control', 'content-type', 'etag', 'link', 'vary'];

/**
 * `public, max-age=0, s-maxage=N, stale-while-revalidate=N`: browsers revalidate each time
 * (ETag, 304), shared caches keep it N seconds and may serve it N seconds more while refreshing.
 */
export const publicCacheControl = (seconds: number) =>
  `public, max-age=0, s-maxage=${seconds}, stale-while-revalidate=${seconds}`;

function cacheablePath(pathname: string): boolean {
  if (!pathname.startsWith(`${API_PREFIX}/`)) return false;
  const rest = pathname.slice(API_PREFIX.length);
  return CACHEABLE_PATHS.some((pattern) => pattern.test(rest));
}

function hasCookieThatMatters(cookieHeader: string | undefined): boolean {
  if (!cookieHeader) return false;
  return cookieHeader
    .split(';')
    .some((pair) => COOKIES_THAT_MATTER.includes(pair.split('=')[0]?.trim() ?? ''));
}

/** Whether this request may be answered from, and stored in, the shared cache. */
export function anonymousPublicRead(c: Context): boolean {
  return (
    c.req.method === 'GET' &&
    c.req.header('Authorization') === undefined &&
    c.req.header(BOOKMARK_HEADER) === undefined &&
    !hasCookieThatMatters(c.req.header('Cookie')) &&
    cacheablePath(new URL(c.req.url).pathname)
  );
}

/**
 * One key per representation: the query parameters sorted, and `limit` left out when it is the
 * default, so `/posts`, `/posts?limit=20` are one entry and a write purges it by one key.
 */
export function cacheKey(url: string): string {
  const key = new URL(url);
  if (key.searchParams.get('limit') === String(PAGE_LIMIT_DEFAULT)) {
    key.searchParams.delete('limit');
  }
  key.searchParams.sort();
  key.hash = '';
  return key.toString();
}

function storedCopy(res: Response, body: ArrayBuffer): Response {
  const headers = new Headers();
  for (const name of STORED_HEADERS) {
    const value = res.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(body, { status: 200, headers });
}

/**
 * Mounted inside the ETag middleware, so a hit (which carries its ETag) still answers
 * If-None-Match with 304. Only 200s are stored; the ETag is computed here from the bytes being
 * stored, so the ETag middleware does not hash the body again.
 */
export const edgeCache = createMiddleware<AppEnv>(async (c, next) => {
  const seconds = c.get('config').EDGE_CACHE_SECONDS;
  if (seconds === 0 || !anonymousPublicRead(c)) return next();
  const cache = caches.default;
  const key = cacheKey(c.req.url);
  const hit = await cache.match(key);
  if (hit) return storedCopy(hit, await hit.arrayBuffer());
  await next();
  if (c.res.status !== 200 || c.res.headers.has('Set-Cookie')) return;
  const body = await c.res.arrayBuffer();
  const res = new Response(body, c.res);
  if (!res.headers.has('ETag')) res.headers.set('ETag', await etagOfBytes(new Uint8Array(body)));
  res.headers.set('Cache-Control', publicCacheControl(seconds));
  c.res = res;
  executionContext(c)?.waitUntil(cache.put(key, storedCopy(res, body)));
});

/** Drops the given API paths from this location's cache (after the response, never failing it). */
export type EdgeCachePurge = (paths: readonly string[]) => void;

/** The purge for this request's origin; nothing to do when the cache is off. */
export function edgeCachePurge(c: Context<AppEnv>): EdgeCachePurge {
  const ctx = executionContext(c);
  if (c.get('config').EDGE_CACHE_SECONDS === 0 || !ctx) return () => {};
  const origin = new URL(c.req.url).origin;
  return (paths) => {
    const cache = caches.default;
    ctx.waitUntil(
      Promise.all(paths.map((path) => cache.delete(cacheKey(`${origin}${API_PREFIX}${path}`)))),
    );
  };
}

const q = (name: string, value: string) => `?${name}=${encodeURIComponent(value)}`;

/** A post's own keys, its likes' first page, and the first page of the post lists it is on. */
export const postCachePaths = (id: string, authorUsername: string) => [
  `/posts/${encodeURIComponent(id)}`,
  `/posts/${encodeURIComponent(id)}/likes`,
  '/posts',
  `/posts${q('author', authorUsername)}`,
  // The author's post_count.
  `/profiles/${encodeURIComponent(authorUsername)}`,
  '/profiles',
];

/** A like changes the post's count and likes, and the liker's `?liked_by=` list. */
export const likeCachePaths = (postId: string, likerUsername: string) => [
  `/posts/${encodeURIComponent(postId)}`,
  `/posts/${encodeURIComponent(postId)}/likes`,
  '/posts',
  `/posts${q('liked_by', likerUsername)}`,
];

export const statusCachePaths = (id: string, authorUsername: string) => [
  `/statuses/${encodeURIComponent(id)}`,
  '/statuses',
  `/statuses${q('username', authorUsername)}`,
  `/statuses${q('author', authorUsername)}`,
];

/** A profile shows in the profile lists, and its avatar next to each of its posts and likes. */
export const profileCachePaths = (username: string) => [
  `/profiles/${encodeURIComponent(username)}`,
  '/profiles',
  '/posts',
  `/posts${q('author', username)}`,
];
