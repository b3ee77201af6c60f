import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { preconditionFailed } from './problem';

// hono/etag hashes a body in chunks of this size, chaining each digest into the next.
const DIGEST_CHUNK_BYTES = 262_144;

function concat(a: Uint8Array | null, b: Uint8Array): Uint8Array {
  if (!a) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/**
 * The ETag hono/etag sends for `c.json(body)`: the quoted SHA-1 hex of the JSON text. Used to
 * check If-Match against exactly what the caller got from GET, so both sides agree by design.
 */
export async function etagOf(body: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  let digest: Uint8Array | null = null;
  for (let offset = 0; offset < bytes.byteLength; offset += DIGEST_CHUNK_BYTES) {
    const chunk = bytes.subarray(offset, offset + DIGEST_CHUNK_BYTES);
    digest = new Uint8Array(await crypto.subtle.digest('SHA-1', concat(digest, chunk)));
  }
  const hex = Array.from(digest ?? [], (b) => b.toString(16).padStart(2, '0')).join('');
  return `"${hex}"`;
}

/**
 * Sets on a write's answer the ETag a GET of the same representation answers with (hono/etag
 * tags only GET), so the client can chain If-Match edits without reading the resource again.
 */
export async function setEtag(c: Context, body: unknown): Promise<void> {
  c.header('ETag', await etagOf(body));
}

/**
 * RFC 9110 If-Match: `*` matches any current representation; otherwise one of the listed
 * entity tags must equal the current one by strong comparison (a weak tag never matches).
 */
export function ifMatchSatisfied(ifMatch: string, currentEtag: string): boolean {
  if (ifMatch.trim() === '*') return true;
  const tags = ifMatch.match(/(?:W\/)?"[^"]*"/g) ?? [];
  return tags.some((tag) => !tag.startsWith('W/') && tag === currentEtag);
}

/** Throws 412 when the client sent If-Match and it does not match `current` as GET renders it. */
export async function assertIfMatch(ifMatch: string | undefined, current: unknown): Promise<void> {
  if (ifMatch === undefined) return;
  if (!ifMatchSatisfied(ifMatch, await etagOf(current))) {
    throw preconditionFailed(
      'The resource changed since you read it (If-Match does not match its current ETag). GET it again and retry.',
      'etag_mismatch',
    );
  }
}

/**
 * The updated_at an edit writes: strictly later than the one it replaces, so every edit yields
 * a new ETag and the expected-updated_at guard of a concurrent writer can tell the edits apart.
 */
export const nextUpdatedAt = (previous: Date) =>
  new Date(Math.max(Date.now(), previous.getTime() + 1));

/** The updated_at a conditional write must still find: only when the client sent If-Match. */
export const expectedUpdatedAt = (ifMatch: string | undefined, current: Date) =>
  ifMatch === undefined ? undefined : current;

/** For responses whose body depends on who is asking (e.g. liked_by_me). */
export function varyOnAuthorization(c: Context): void {
  c.header('Vary', 'Authorization', { append: true });
}

export const IfMatchHeaderSchema = z.object({
  'if-match': z
    .string()
    .max(1024)
    .optional()
    .openapi({
      // The name must equal the key, which is lowercase because hono validates lowercased headers.
      param: { name: 'if-match', in: 'header' },
      description:
        'Optional. The ETag from your last GET of this resource (as you would GET it now): if the resource changed since (edited; for a post also its like count or your like), the request is refused with 412 and nothing changes.',
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
