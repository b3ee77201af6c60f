import { z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Database } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import type { AppEnv } from '../env';
import { currentUser } from './auth';
import { sha256Hex } from './digest';
import { EtagHeader, setEtag } from './etag';
import { newId } from './ids';
import { ApiError, conflict, unprocessable } from './problem';

/** Keys are remembered this long (the IETF Idempotency-Key draft suggests at least 24 h). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A claim still in flight after this long belongs to a request that died (isolate evicted,
 * connection lost). A retry with the same body may take it over: the resource id reserved by
 * the first attempt is reused, so even a first attempt that did write cannot be duplicated.
 */
export const IN_FLIGHT_LEASE_MS = 60_000;
const IN_FLIGHT_RETRY_AFTER_SECONDS = 1;
const KEY_MAX_LENGTH = 255;

export const IDEMPOTENT_REPLAY_HEADER = 'Idempotent-Replayed';

/** Response headers of a route answered by respondCreated, for its 201 entry. */
export const createdHeaders = (collectionPath: string, noun: string) => ({
  Location: {
    description: `Absolute URL of the new ${noun}.`,
    schema: {
      type: 'string' as const,
      example: `https://api.ublog.example${collectionPath}/0193...`,
    },
  },
  ...EtagHeader,
  [IDEMPOTENT_REPLAY_HEADER]: {
    description: 'Present and "true" when this response is a replay for a repeated key.',
    schema: { type: 'string' as const, example: 'true' },
  },
});

export const IdempotencyKeyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(KEY_MAX_LENGTH)
    .regex(/^[\x21-\x7e]+$/, { error: 'Idempotency-Key must be 1..255 printable ASCII characters' })
    .optional()
    .openapi({
      // The name must equal the key, which is lowercase because hono validates lowercased headers.
      param: { name: 'idempotency-key', in: 'header' },
      description:
        'Optional, recommended for retries: a unique value (e.g. a UUID) per intended creation. Within 24 h the same key from the same user with the same body replays the first response (status, body, Location) and creates nothing; the same key with a different body is 422; a duplicate that arrives while the first is still being processed is 409.',
      example: '5f0c7f4e-3d0e-4b8c-9a51-2f1f4d1b7c3a',
    }),
});

export interface IdempotencyScope {
  userId: string;
  /** Undefined when the client sent no Idempotency-Key: the creation simply runs. */
  key: string | undefined;
  method: string;
  path: string;
  /** The request body in a canonical form (e.g. JSON of the validated input). */
  body: string;
  /** The absolute URL of the resource the request will create, from its id. */
  locationFor: (resourceId: string) => string;
  now?: number;
}

export interface CreatedResponse<T> {
  status: number;
  body: T;
  location: string;
  /** True when this is a replay of the first response for the same key. */
  replayed: boolean;
}

/** SHA-256 over method, path and body: what "the same request" means for a key. */
export async function requestHash(method: string, path: string, body: string): Promise<string> {
  return sha256Hex(`${method.toUpperCase()}\n${path}\n${body}`);
}

const idFromLocation = (location: string) => location.slice(location.lastIndexOf('/') + 1);

/**
 * Runs `create` at most once per (user, Idempotency-Key). `create` receives the id to give
 * the new resource and must be idempotent for that id (INSERT ... ON CONFLICT DO NOTHING).
 * The claim is one INSERT on the (user_id, key) primary key, so of concurrent duplicates
 * exactly one runs; the others see its row (409 while in flight, a replay once completed).
 */
export async function runIdempotent<T>(
  db: Database,
  scope: IdempotencyScope,
  create: (resourceId: string) => Promise<{ status: number; body: T }>,
): Promise<CreatedResponse<T>> {
  const now = scope.now ?? Date.now();
  if (scope.key === undefined) {
    const id = newId(now);
    return { ...(await create(id)), location: scope.locationFor(id), replayed: false };
  }
  const hash = await requestHash(scope.method, scope.path, scope.body);
  const where = and(eq(idempotencyKeys.userId, scope.userId), eq(idempotencyKeys.key, scope.key));
  const expiredBefore = now - IDEMPOTENCY_KEY_TTL_MS;
  const leaseBefore = now - IN_FLIGHT_LEASE_MS;

  const [claimed] = await db
    .insert(idempotencyKeys)
    .values({
      userId: scope.userId,
      key: scope.key,
      method: scope.method,
      path: scope.path,
      requestHash: hash,
      state: 'in_flight',
      responseLocation: scope.locationFor(newId(now)),
      createdAt: new Date(now),
    })
    .onConflictDoUpdate({
      target: [idempotencyKeys.userId, idempotencyKeys.key],
      set: {
        method: sql`excluded.method`,
        path: sql`excluded.path`,
        requestHash: sql`excluded.request_hash`,
        state: 'in_flight',
        responseStatus: null,
        responseBody: null,
        // An expired key starts over; a stale claim keeps its reserved resource id.
        responseLocation: sql`case when ${idempotencyKeys.createdAt} < ${expiredBefore} then excluded.response_location else ${idempotencyKeys.responseLocation} end`,
        createdAt: sql`excluded.created_at`,
      },
      setWhere: sql`${idempotencyKeys.createdAt} < ${expiredBefore} or (${idempotencyKeys.state} = 'in_flight' and ${idempotencyKeys.createdAt} < ${leaseBefore} and ${idempotencyKeys.requestHash} = excluded.request_hash)`,
    })
    .returning({ location: idempotencyKeys.responseLocation });

  if (!claimed?.location) return replayExisting<T>(db, where, hash);

  const resourceId = idFromLocation(claimed.location);
  let result: { status: number; body: T };
  try {
    result = await create(resourceId);
  } catch (err) {
    // A refused request (4xx) wrote nothing: free the key. Anything else may have written,
    // so the claim stays and a retry after the lease reuses the reserved id.
    if (err instanceof ApiError && err.status < 500) {
      await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.state, 'in_flight')));
    }
    throw err;
  }
  await db
    .update(idempotencyKeys)
    .set({
      state: 'completed',
      responseStatus: result.status,
      responseBody: JSON.stringify(result.body),
    })
    .where(where);
  return { ...result, location: claimed.location, replayed: false };
}

/**
 * A POST that creates one resource under `collectionPath`, run through runIdempotent for the
 * caller's Idempotency-Key: 201 with the body, Location and, for a replay, Idempotent-Replayed.
 * `request` is the validated input; its JSON is what "the same request" compares.
 */
export async function respondCreated<T>(
  c: Context<AppEnv>,
  options: {
    key: string | undefined;
    request: unknown;
    collectionPath: string;
    create: (resourceId: string) => Promise<T>;
  },
) {
  const url = new URL(c.req.url);
  const created = await runIdempotent(
    c.get('db'),
    {
      userId: currentUser(c).userId,
      key: options.key,
      method: c.req.method,
      path: url.pathname,
      body: JSON.stringify(options.request),
      locationFor: (id) => `${url.origin}${options.collectionPath}/${id}`,
    },
    async (id) => ({ status: 201, body: await options.create(id) }),
  );
  if (created.replayed) c.header(IDEMPOTENT_REPLAY_HEADER, 'true');
  c.header('Location', created.location);
  await setEtag(c, created.body);
  return c.json(created.body, 201);
}

async function replayExisting<T>(
  db: Database,
  where: ReturnType<typeof and>,
  hash: string,
): Promise<CreatedResponse<T>> {
  const [row] = await db
    .select({
      requestHash: idempotencyKeys.requestHash,
      state: idempotencyKeys.state,
      status: idempotencyKeys.responseStatus,
      body: idempotencyKeys.responseBody,
      location: idempotencyKeys.responseLocation,
    })
    .from(idempotencyKeys)
    .where(where)
    .limit(1);
  if (row && row.requestHash !== hash) {
    throw unprocessable(
      'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
      'idempotency_key_reused',
      { errors: [{ path: '/headers/idempotency-key', message: 'Key reused with another body' }] },
    );
  }
  if (row?.state !== 'completed' || row.status === null || row.body === null) {
    throw conflict(
      'A request with this Idempotency-Key is still being processed. Retry shortly.',
      'idempotency_key_in_flight',
      { headers: { 'Retry-After': String(IN_FLIGHT_RETRY_AFTER_SECONDS) } },
    );
  }
  return {
    status: row.status,
    body: JSON.parse(row.body) as T,
    location: row.location ?? '',
    replayed: true,
  };
}
