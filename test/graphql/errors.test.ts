import { env, exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as posts from '../../src/features/posts/posts.queries';
import { signUp } from '../support/auth';
import { measure } from '../support/db-cost';
import { eventually } from '../support/queue';
import { codesOf, gql } from './support';

/** Errors: the REST codes, whole-request refusals, masking; and the app-wide middleware. */
afterEach(() => vi.restoreAllMocks());

describe('GraphQL errors and middleware', () => {
  it('an invalid bearer token refuses the whole request with invalid_token (401), as REST does', async () => {
    const res = await gql('{ posts { nodes { id } } }', { token: 'not.a.token' });
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toContain('invalid_token');
    expect(codesOf(res.body)).toEqual(['invalid_token']);
    expect(res.body.data).toBeUndefined();
  });

  it('a malformed Authorization header is invalid_token too; no token at all is anonymous', async () => {
    const res = await gql('{ viewer { email } }', { headers: { Authorization: 'Basic abc' } });
    expect(codesOf(res.body)).toEqual(['invalid_token']);
    expect((await gql('{ viewer { email } }')).body).toEqual({ data: { viewer: null } });
  });

  it('internal errors are masked: code and request id only, the detail in the log', async () => {
    const alice = await signUp();
    await gql('mutation { createPost(body: "x") { id } }', { token: alice.token });
    vi.spyOn(posts, 'listPosts').mockImplementation(() => {
      throw new Error('SQLITE_ERROR: secret table "users" near password_hash');
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await gql('{ posts { nodes { id } } viewer { email } }');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(null);
    const [error] = res.body.errors;
    expect(error.extensions).toEqual({
      code: 'internal_error',
      request_id: res.headers.get('X-Request-Id'),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/SQLITE|password|secret|stack/i);
    // The detail is in the log, under the same request id.
    expect(errors.mock.calls.flat().join('\n')).toContain(res.headers.get('X-Request-Id'));
  });

  it('request id, CORS and the D1 bookmark apply as on REST', async () => {
    const res = await gql('{ posts(first: 1) { nodes { id } } }', {
      headers: { Origin: 'http://localhost:5173', 'X-Request-Id': 'gql-req-1' },
    });
    expect(res.headers.get('X-Request-Id')).toBe('gql-req-1');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173');
    expect(res.headers.get('X-D1-Bookmark')).toBeTruthy();
  });

  it('writes count against the same per-user rate limit as REST (rate_limited)', async () => {
    const alice = await signUp();
    const limited = { WRITE_LIMITER: { limit: async () => ({ success: false }) } };
    const m = await measure('/graphql', {
      method: 'POST',
      token: alice.token,
      json: { query: 'mutation { createPost(body: "x") { id } }' },
      bindings: limited as never,
    });
    expect(codesOf(m.body)).toEqual(['rate_limited']);
    // The token's user lookup only: nothing written.
    expect(m.cost.rowsWritten).toBe(0);
  });

  it('POST without a JSON content type is 415; an Accept it cannot serve is 406', async () => {
    const m = await measure('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(m.status).toBe(415);
    const n = await measure('/graphql?query={__typename}', { headers: { Accept: 'text/csv' } });
    expect(n.status).toBe(406);
  });

  const postTypename = (contentType: string) =>
    exports.default.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body: JSON.stringify({ query: '{ __typename }' }),
    });

  it('takes application/json the way RFC 9110 writes it (whitespace, quoted charset, any case)', async () => {
    for (const type of ['application/json ; charset=utf-8', 'Application/JSON;\tcharset="UTF-8"']) {
      const res = await postTypename(type);
      expect(res.status, type).toBe(200);
    }
    expect((await postTypename('application/json; charset=iso-8859-1')).status).toBe(415);
  });

  it('is recorded in the request log like REST, with the signed-in user', async () => {
    const alice = await signUp();
    const requestId = `gql-log-${crypto.randomUUID()}`;
    await gql('{ viewer { email } }', {
      token: alice.token,
      headers: { 'X-Request-Id': requestId },
    });
    const row = await eventually(
      async () =>
        (await env.DB.prepare(
          'select route, path, status, user_id from request_logs where request_id = ?',
        )
          .bind(requestId)
          .first()) ?? undefined,
    );
    expect(row).toEqual({
      route: '/graphql',
      path: '/graphql',
      status: 200,
      user_id: alice.user.id,
    });
  });
});
