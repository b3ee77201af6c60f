import type { Context } from 'hono';

/** The origin (scheme, host, port) the request came to: the base of every URL a response carries. */
export const originOf = (c: Context) => new URL(c.req.url).origin;

/** Where GET /api/v1/images/{key} serves stored images. */
export const IMAGES_BASE_PATH = '/api/v1/images/';

/**
 * The public URL of a stored image. The key is one path segment (a `/` inside it is
 * percent-encoded), so keys with prefixes such as `seed/...` still route to /images/{key}.
 */
export function imageUrl(origin: string, key: string, variant?: 'thumbnail'): string {
  const url = `${origin}${IMAGES_BASE_PATH}${encodeURIComponent(key)}`;
  return variant ? `${url}?variant=${variant}` : url;
}

export const avatarUrl = (origin: string, avatarKey: string | null) =>
  avatarKey === null ? null : imageUrl(origin, avatarKey);

export const iso = (date: Date) => date.toISOString();
