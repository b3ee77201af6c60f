import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/digest';
import { measure } from '../support/db-cost';
import { codesOf, gql } from './support';

/** Automatic persisted queries (Apollo APQ) over POST and GET. */
const apq = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

describe('persisted queries', () => {
  it('unknown hash, register, then a GET with the hash alone runs it', async () => {
    const query = `{ posts(first: 1) { nodes { id } } } # ${crypto.randomUUID()}`;
    const hash = await sha256Hex(query);

    const unknown = await gql(undefined, { method: 'GET', extensions: apq(hash) });
    expect(unknown.status).toBe(200);
    expect(codesOf(unknown.body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(unknown.body.errors[0].message).toBe('PersistedQueryNotFound');

    const registered = await gql(query, { extensions: apq(hash) });
    expect(registered.body).toEqual({ data: { posts: { nodes: expect.any(Array) } } });

    const hit = await gql(undefined, { method: 'GET', extensions: apq(hash) });
    expect(hit.status).toBe(200);
    expect(hit.body).toEqual(registered.body);
  });

  it('a query that does not hash to the hash is refused and not stored', async () => {
    const query = `{ viewer { email } } # ${crypto.randomUUID()}`;
    const other = await sha256Hex(`${query} `);
    const mismatch = await gql(query, { extensions: apq(other) });
    expect(codesOf(mismatch.body)).toEqual(['persisted_query_hash_mismatch']);
    const after = await gql(undefined, { method: 'GET', extensions: apq(other) });
    expect(codesOf(after.body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('a malformed persistedQuery extension is refused', async () => {
    const res = await gql(undefined, {
      extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } },
    });
    expect(codesOf(res.body)).toEqual(['persisted_query_invalid']);
  });

  it('a query over the limits is never stored', async () => {
    const query = `{ posts(first: 100) { nodes { likes(first: 100) { nodes { user { username } } } } } } # ${crypto.randomUUID()}`;
    const hash = await sha256Hex(query);
    expect(codesOf((await gql(query, { extensions: apq(hash) })).body)).toEqual([
      'query_too_costly',
    ]);
    const after = await gql(undefined, { method: 'GET', extensions: apq(hash) });
    expect(codesOf(after.body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('a persisted mutation still cannot run over GET (405)', async () => {
    const query = `mutation { deletePost(id: "01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11") } # ${crypto.randomUUID()}`;
    const hash = await sha256Hex(query);
    const registered = await gql(query, { extensions: apq(hash) });
    expect(codesOf(registered.body)).toEqual(['unauthenticated']);
    const m = await measure(`/graphql?extensions=${encodeURIComponent(JSON.stringify(apq(hash)))}`);
    expect(m.status).toBe(405);
    expect(m.headers.get('Allow')).toBe('POST');
    expect(codesOf(m.body)).toEqual(['method_not_allowed']);
    expect(m.cost.statements).toBe(0);
  });
});
