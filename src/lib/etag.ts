import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { evaluateIfMatch, ifNoneMatchMatches } from './conditional';
import { toHex, utf8 } from './digest';
import { preconditionFailed } from './problem';

// Bodies are hashed in chunks of this size (as hono/etag did), each digest chained into the next.
const DIGEST_CHUNK_BYTES = 262_144;

function concat(a: Uint8Array | null, b: Uint8Array): Uint8Array {
  if (!a) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/** The quoted SHA-1 hex of `bytes`, digested in chunks, each digest chained into the next. */
export async function etagOfBytes(bytes: Uint8Array): Promise<string> {
  let digest: Uint8Array | null = null;
  for (let offset = 0; offset < bytes.byteLength; offset += DIGEST_CHUNK_BYTES) {
    const chunk = bytes.subarray(offset, offset + DIGEST_CHUNK_BYTES);
    digest = new Uint8Array(await crypto.subtle.digest('SHA-1', concat(digest, chunk)));
  }
  return `"${toHex(digest ?? new Uint8Array())}"`;
}

/**
 * Sets on a write's answer the ETag a GET of the same representation answers with (entityTags
 * tags only GET), so the client can chain If-Match edits without reading the resource again.
 */
export async function setEtag(c: Context, body: unknown): Promise<void> {
  c.header('ETag', await etagOf(body));
}

/**
 * The ETag a GET sends for `c.json(body)`: the tag of the JSON text. Used to check If-Match
 * against exactly what the caller got from GET, so both sides agree by design.
 */
export const etagOf = (body: unknown) => etagOfBytes(utf8(JSON.stringify(body)));

/** Throws 412 when the client sent If-Match and it does not match `current` as GET renders it. */
export async function assertIfMatch(ifMatch: string | undefined, current: unknown): Promise<void> {
  if (ifMatch === undefined) return;
  const outcome = evaluateIfMatch(ifMatch, await etagOf(current));
  if (outcome === 'malformed') {
    throw preconditionFailed(
      'If-Match must be * or a list of quoted entity tags, such as the ETag from your last GET; an unparseable one never matches.',
      'malformed_if_match',
    );
  }
  if (outcome === 'fails') {
    throw preconditionFailed(
      'The resource changed since you read it (If-Match does not match its current ETag). GET it again and retry.',
      'etag_mismatch',
    );
  }
}

// What a 304 keeps of the 200 it stands for (RFC 9110 section 15.4.5).
const KEPT_ON_NOT_MODIFIED = [
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'vary',
];

// The JSON text each response made by a GET's c.json was rendered from (weakly held).
const renderedJson = new WeakMap<Response, string>();

/**
 * Makes `c.json` remember the text it renders, so the tag is digested from that text: no clone
 * of the body, no second read of its stream.
 */
function rememberRenderedJson(c: Context) {
  // The same response Hono's c.json makes: c.body with a default Content-Type.
  const respond = c.body as (text: string, arg?: unknown, headers?: HeadersInit) => Response;
  const json = (object: unknown, arg?: unknown, headers?: Record<string, string>) => {
    const text = JSON.stringify(object);
    const res = respond(text, arg, { 'Content-Type': 'application/json', ...headers });
    renderedJson.set(res, text);
    return res;
  };
  c.json = json as unknown as typeof c.json;
}

/** The bytes of a response's body: the JSON text it was rendered from when known, else read. */
async function bodyBytes(res: Response) {
  const text = renderedJson.get(res);
  if (text !== undefined) return utf8(text);
  return res.body ? new Uint8Array(await res.clone().arrayBuffer()) : null;
}

/**
 * Tags every successful GET/HEAD response that has a body and no ETag yet, and answers 304
 * when If-None-Match (parsed by src/lib/conditional.ts) matches the tag.
 */
export const entityTags = createMiddleware(async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
  rememberRenderedJson(c);
  await next();
  if (!c.res.ok) return;
  let tag = c.res.headers.get('ETag');
  if (!tag) {
    const body = await bodyBytes(c.res);
    if (!body?.byteLength) return;
    tag = await etagOfBytes(body);
    c.res.headers.set('ETag', tag);
  }
  if (!ifNoneMatchMatches(c.req.header('If-None-Match'), tag)) return;
  await c.res.body?.cancel();
  c.res = new Response(null, { status: 304 });
  for (const name of [...c.res.headers.keys()]) {
    if (!KEPT_ON_NOT_MODIFIED.includes(name)) c.res.headers.delete(name);
  }
});

/**
 * The updated_at an edit writes: strictly later than the one it replaces, so every edit yields
 * a new ETag and the expected-updated_at guard of a concurrent writer can tell the edits apart.
 */
export const nextUpdatedAt = (previous: Date) =>
  new Date(Math.max(Date.now(), previous.getTime() + 1));

/** The updated_at a conditional write must still find: only when the client sent If-Match. */
export const expectedUpdatedAt = (ifMatch: string | undefined, current: Date) =>
  ifMatch === undefined ? undefined : current;

export const IfMatchHeaderSchema = z.object({
  'if-match': z
    .string()
    .max(1024)
    .optional()
    .openapi({
      // The name must equal the key, which is lowercase because hono validates lowercased headers.
      param: { name: 'if-match', in: 'header' },
      description:
        'Optional. The ETag from your last GET of this resource (as you would GET it now): if the resource changed since (edited; for a post also its like count or your like), the request is refused with 412 and nothing changes. A value that is not `*` or a list of quoted entity tags never matches: 412 with code `malformed_if_match`.',
      example: '"3f786850e387550fdab836ed7e6dc881de23001b"',
    }),
});

/** The 304 entry every GET route that sends an ETag declares. */
export const notModifiedResponse = {
  304: {
    description: 'Not modified: the If-None-Match ETag still matches. No body.',
    headers: {
      ETag: { description: 'The current entity tag.', schema: { type: 'string' as const } },
    },
  },
};

export const EtagHeader = {
  ETag: {
    description:
      'Entity tag of this representation; send it as If-None-Match (304) or If-Match (412).',
    schema: { type: 'string' as const, example: '"3f786850e387550fdab836ed7e6dc881de23001b"' },
  },
};
