import { sha256Hex } from '../../lib/digest';
import { enforceRateLimit } from '../../lib/rate-limit';
import { requestError } from './graphql.errors';

/**
 * Automatic persisted queries (the Apollo APQ protocol): a client sends
 * `extensions.persistedQuery.sha256Hash` alone; until that hash is registered (sent once with
 * its query) the answer is PERSISTED_QUERY_NOT_FOUND. Stored in KV: a cache of immutable text
 * by hash, read at the edge, where a lost entry only costs the client one re-registration.
 */

const KEY_PREFIX = 'apq:sha256:';
const TTL_SECONDS = 30 * 24 * 60 * 60;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface PersistedQueryRef {
  sha256Hash: string;
}

/** The persistedQuery extension, if any; a malformed one is refused. */
export function persistedQueryOf(extensions: Record<string, unknown> | undefined) {
  const ext = extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
  if (ext === undefined) return null;
  if (
    typeof ext !== 'object' ||
    ext === null ||
    ext.version !== 1 ||
    typeof ext.sha256Hash !== 'string' ||
    !SHA256_HEX.test(ext.sha256Hash)
  ) {
    throw requestError(
      'extensions.persistedQuery must be { version: 1, sha256Hash: <64 lowercase hex digits> }.',
      'persisted_query_invalid',
    );
  }
  return { sha256Hash: ext.sha256Hash } satisfies PersistedQueryRef;
}

export const notFoundError = () =>
  requestError('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND');

export async function lookupPersistedQuery(kv: KVNamespace, ref: PersistedQueryRef) {
  return kv.get(`${KEY_PREFIX}${ref.sha256Hash}`);
}

/** Refuses a query whose hash is not the one sent (a client bug or a poisoning attempt). */
export async function assertHashMatches(ref: PersistedQueryRef, query: string) {
  if ((await sha256Hex(query)) !== ref.sha256Hash) {
    throw requestError(
      'The query does not hash to extensions.persistedQuery.sha256Hash.',
      'persisted_query_hash_mismatch',
    );
  }
}

/**
 * Stores a query that passed validation and the limits. Registrations are writes by anyone,
 * so each counts against the caller's address in WRITE_LIMITER.
 */
export async function registerPersistedQuery(
  env: { GRAPHQL_QUERIES: KVNamespace; WRITE_LIMITER: RateLimit },
  clientIp: string,
  ref: PersistedQueryRef,
  query: string,
) {
  await enforceRateLimit(env.WRITE_LIMITER, `graphql-apq:ip:${clientIp}`);
  await env.GRAPHQL_QUERIES.put(`${KEY_PREFIX}${ref.sha256Hash}`, query, {
    expirationTtl: TTL_SECONDS,
  });
}
