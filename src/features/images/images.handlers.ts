import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../env';
import { ifNoneMatchMatches } from '../../lib/conditional';
import { notFound } from '../../lib/problem';
import { THUMBNAIL_TYPE, THUMBNAIL_VARIANT } from '../../lib/uploads';
import { findImage } from './images.queries';
import type { getImage } from './images.routes';

const IMMUTABLE = 'public, max-age=31536000, immutable';
// Defence in depth: even if a browser rendered the bytes as a document, it could run nothing.
const IMAGE_CSP = "default-src 'none'; sandbox";

// A 404 here may turn into a 200 soon (the thumbnail is on its way): never cache it.
const missing = (detail: string, code: string) =>
  notFound(detail, code, { headers: { 'Cache-Control': 'no-store' } });

/** One `bytes=` range within `size`, or null when absent, multiple, malformed or unsatisfiable. */
export function parseRange(header: string | undefined, size: number): R2Range | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || size === 0) return null;
  const [, from = '', to = ''] = match;
  if (from === '') {
    const suffix = Number(to);
    return to === '' || suffix === 0 ? null : { suffix: Math.min(suffix, size) };
  }
  const offset = Number(from);
  const last = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (offset >= size || last < offset) return null;
  return { offset, length: last - offset + 1 };
}

function rangeOf(object: R2Object): { offset: number; length: number } | null {
  const r = object.range as { offset?: number; length?: number; suffix?: number } | undefined;
  if (!r) return null;
  if (r.suffix !== undefined) return { offset: object.size - r.suffix, length: r.suffix };
  const offset = r.offset ?? 0;
  return { offset, length: r.length ?? object.size - offset };
}

export const getImageHandler: RouteHandler<typeof getImage, AppEnv> = async (c) => {
  const { key } = c.req.valid('param');
  const { variant } = c.req.valid('query');
  const headers = c.req.valid('header');
  const image = await findImage(c.get('db'), key);
  if (!image) throw missing('No image has this key.', 'image_not_found');

  const thumbnail = variant === THUMBNAIL_VARIANT;
  if (thumbnail && image.thumbnailFailedAt) {
    throw notFound(
      'This image could not be decoded, so it has no thumbnail and never will; use the original.',
      'thumbnail_unavailable',
    );
  }
  const objectKey = thumbnail ? image.thumbnailKey : image.key;
  if (!objectKey) throw missing('The thumbnail has not been made yet.', 'thumbnail_not_ready');

  const bucket = c.env.BUCKET;
  let size = image.size;
  if (thumbnail && headers.range) size = (await bucket.head(objectKey))?.size ?? 0;
  const range = parseRange(headers.range, size);
  // If-None-Match is judged here (src/lib/conditional.ts), never handed raw to R2.
  const object = await bucket.get(objectKey, range ? { range } : {});
  if (!object) throw missing('The image file is missing.', 'image_not_found');

  const out = new Headers({
    'Content-Type': thumbnail ? THUMBNAIL_TYPE : image.contentType,
    'Cache-Control': IMMUTABLE,
    ETag: object.httpEtag,
  });
  if (ifNoneMatchMatches(headers['if-none-match'], object.httpEtag)) {
    await object.body.cancel();
    return new Response(null, { status: 304, headers: out });
  }

  out.set('Content-Disposition', 'inline');
  out.set('X-Content-Type-Options', 'nosniff');
  out.set('Content-Security-Policy', IMAGE_CSP);
  out.set('Accept-Ranges', 'bytes');
  const served = range ? rangeOf(object) : null;
  if (served) {
    out.set(
      'Content-Range',
      `bytes ${served.offset}-${served.offset + served.length - 1}/${object.size}`,
    );
    out.set('Content-Length', String(served.length));
    return new Response(object.body, { status: 206, headers: out });
  }
  out.set('Content-Length', String(object.size));
  return new Response(object.body, { status: 200, headers: out });
};
