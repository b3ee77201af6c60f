import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { toBase64Url, utf8 } from './digest';
import { fieldName } from './field-messages';
import { badRequest } from './problem';

export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;
const CURSOR_MAX_LENGTH = 512;
const CURSOR_VERSION = 1;
const KEY_ID_MAX_LENGTH = 64;
// The cursor key is derived from JWT_SECRET with this label, so a cursor signature can never
// double as a token signature (and no second secret has to be configured).
const CURSOR_KEY_LABEL = 'ublog/pagination-cursor/v1';

/**
 * A position in a list ordered newest first by (timestamp, id): the last item of a page.
 * `at` is the timestamp in epoch milliseconds; `id` breaks ties between equal timestamps.
 */
export interface Keyset {
  at: number;
  id: string;
}

/**
 * An integer query parameter of `min..max`: decimal digits only, so `1e2`, `0x10`, ` 5` and
 * `+5` are refused rather than read the way Number() would read them.
 */
export function queryInteger(min: number, max: number) {
  const error = (issue: { path?: PropertyKey[] }) =>
    `${fieldName(issue.path)} must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    (value) => (typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value),
    z.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
}

export const PageQuerySchema = z.object({
  limit: queryInteger(1, PAGE_LIMIT_MAX)
    .default(PAGE_LIMIT_DEFAULT)
    .openapi({
      description: `Items per page, 1..${PAGE_LIMIT_MAX}.`,
      example: PAGE_LIMIT_DEFAULT,
    }),
  cursor: z.string().min(1).max(CURSOR_MAX_LENGTH).optional().openapi({
    description:
      'Opaque, signed position from the previous page\'s `next_cursor` (or its `Link: rel="next"`). A cursor that was altered or belongs to another list is 400.',
    example: 'WzEsMTc2NDAwMDAwMDAwMCwiMDE5MzhmMGUiXQ.ZmFrZS1zaWduYXR1cmU',
  }),
});

/** `{ items, next_cursor }`, the shape of every list. */
export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      items: z.array(item),
      next_cursor: z.string().nullable().openapi({
        description: 'Pass as `?cursor=` for the next page; null on the last page.',
        example: null,
      }),
    })
    .openapi(name);
}

const keys = new Map<string, Promise<CryptoKey>>();

function cursorKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const master = await crypto.subtle.importKey(
        'raw',
        utf8(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      const derived = await crypto.subtle.sign('HMAC', master, utf8(CURSOR_KEY_LABEL));
      return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
        'verify',
      ]);
    })();
    keys.set(secret, key);
  }
  return key;
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * Signs a position for one list. `scope` names the list and its filters, so a cursor from one
 * list (or one filter) is refused by another instead of silently jumping.
 */
export async function encodeCursor(secret: string, scope: string, position: Keyset) {
  const payload = toBase64Url(utf8(JSON.stringify([CURSOR_VERSION, position.at, position.id])));
  const mac = await crypto.subtle.sign(
    'HMAC',
    await cursorKey(secret),
    utf8(`${scope}\n${payload}`),
  );
  return `${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

const badCursor = () =>
  badRequest(
    'The cursor is not valid for this list. Use next_cursor from the previous page as it was given.',
    'invalid_cursor',
    { errors: [{ path: '/query/cursor', message: 'Invalid cursor' }] },
  );

/** Verifies and opens a cursor; a forged, garbled or foreign one is a 400 problem. */
export async function decodeCursor(secret: string, scope: string, cursor: string): Promise<Keyset> {
  const [payload, signature, ...rest] = cursor.split('.');
  const mac = signature === undefined ? null : fromBase64Url(signature);
  if (!payload || !mac || rest.length > 0) throw badCursor();
  const valid = await crypto.subtle.verify(
    'HMAC',
    await cursorKey(secret),
    mac,
    utf8(`${scope}\n${payload}`),
  );
  if (!valid) throw badCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(new TextDecoder().decode(fromBase64Url(payload) ?? new Uint8Array()));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw badCursor();
  const [version, at, id] = decoded as unknown[];
  if (
    version !== CURSOR_VERSION ||
    !Number.isSafeInteger(at) ||
    typeof id !== 'string' ||
    id.length > KEY_ID_MAX_LENGTH
  ) {
    throw badCursor();
  }
  return { at: at as number, id };
}

/** The cursor's position, or null for the first page. */
async function readCursor(
  secret: string,
  scope: string,
  cursor: string | undefined,
): Promise<Keyset | null> {
  return cursor === undefined ? null : decodeCursor(secret, scope, cursor);
}

/**
 * Turns `limit + 1` fetched rows into one page: the extra row only proves a next page exists.
 * Sets `Link: <...>; rel="next"` (the request URL with `cursor` replaced) when there is one.
 */
async function finishPage<Row, Item>(
  c: Context,
  options: {
    rows: Row[];
    limit: number;
    secret: string;
    scope: string;
    positionOf: (row: Row) => Keyset;
    render: (row: Row) => Item;
  },
): Promise<{ items: Item[]; next_cursor: string | null }> {
  const { rows, limit } = options;
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  let nextCursor: string | null = null;
  if (rows.length > limit && last !== undefined) {
    nextCursor = await encodeCursor(options.secret, options.scope, options.positionOf(last));
    const next = new URL(c.req.url);
    next.searchParams.set('cursor', nextCursor);
    c.header('Link', `<${next.toString()}>; rel="next"`);
  }
  return { items: pageRows.map(options.render), next_cursor: nextCursor };
}

/**
 * One page of a keyset list: opens `cursor` for `scope`, fetches `limit + 1` rows after that
 * position and renders the page (and its Link header). Cursors are signed with JWT_SECRET.
 */
export async function keysetPage<Row, Item>(
  c: Context<AppEnv>,
  options: {
    scope: string;
    cursor: string | undefined;
    limit: number;
    fetch: (position: Keyset | null) => Promise<Row[]>;
    positionOf: (row: Row) => Keyset;
    render: (row: Row) => Item;
  },
): Promise<{ items: Item[]; next_cursor: string | null }> {
  const secret = c.get('config').JWT_SECRET;
  const { scope, limit } = options;
  const rows = await options.fetch(await readCursor(secret, scope, options.cursor));
  return finishPage(c, {
    rows,
    limit,
    secret,
    scope,
    positionOf: options.positionOf,
    render: options.render,
  });
}

/** Link header declaration for list routes. */
export const LinkHeader = {
  Link: {
    description: 'RFC 8288 link to the next page (`rel="next"`), present when there is one.',
    schema: {
      type: 'string' as const,
      example: '<https://api.ublog.example/api/v1/posts?limit=20&cursor=...>; rel="next"',
    },
  },
};
