import { describe, expect, it } from 'vitest';
import { COOKIE_NAME } from '../auth/helpers';
import { signUp, uniqueIp } from '../support/auth';
import { createUser } from '../support/direct-users';
import { call, get, post } from '../support/http';
import { documentedOperations, requiresBearer } from '../support/operations';

// Caching headers come from one middleware keyed on the route's security and on whether the
// request was authenticated (src/lib/caching.ts), not from the handlers.
const PRIVATE = 'private, no-store';
const varies = (headers: Headers) =>
  (headers.get('Vary') ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .includes('authorization');

const BEARER_READS = (await documentedOperations()).filter(
  (op) => op.method === 'GET' && requiresBearer(op),
);

describe('responses that depend on the caller are private and never stored', () => {
  it.each(BEARER_READS)(
    'GET $path with a token: private, no-store and Vary: Authorization',
    async ({ url }) => {
      const admin = await createUser({ admin: true });
      const res = await get(url, { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.headers.get('Cache-Control')).toBe(PRIVATE);
      expect(varies(res.headers)).toBe(true);
    },
  );

  it('a 304 revalidation keeps them', async () => {
    const user = await createUser();
    const first = await get('/api/v1/users/me', { token: user.token });
    const again = await get('/api/v1/users/me', {
      token: user.token,
      headers: { 'If-None-Match': first.headers.get('ETag') ?? '' },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('Cache-Control')).toBe(PRIVATE);
    expect(varies(again.headers)).toBe(true);
  });

  it('a bearer write is private too', async () => {
    const user = await createUser();
    const res = await post('/api/v1/statuses', { content: 'hello' }, { token: user.token });
    expect(res.status).toBe(201);
    expect(res.headers.get('Cache-Control')).toBe(PRIVATE);
  });

  it('login and refresh, which carry tokens, are private, no-store', async () => {
    const account = await signUp();
    const login = await post(
      '/api/v1/auth/login',
      { username: account.username, password: account.password },
      { headers: { 'CF-Connecting-IP': uniqueIp() } },
    );
    expect(login.status).toBe(200);
    expect(login.headers.get('Cache-Control')).toBe(PRIVATE);
    const cookie = /__Secure-ublog_refresh=([^;]+)/.exec(
      login.headers.get('Set-Cookie') ?? '',
    )?.[1];
    const refresh = await call('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { Cookie: `${COOKIE_NAME}=${cookie}`, Origin: 'http://localhost' },
    });
    expect(refresh.status).toBe(200);
    expect(refresh.headers.get('Cache-Control')).toBe(PRIVATE);
  });
});

describe('reads that differ by caller (optional bearer)', () => {
  it('anonymous: cacheable, but Vary: Authorization so no caller gets another one', async () => {
    const res = await get('/api/v1/posts');
    expect(res.status).toBe(200);
    expect(varies(res.headers)).toBe(true);
    expect(res.headers.get('Cache-Control') ?? '').not.toContain('no-store');
  });

  it('with a token (liked_by_me is personal): private, no-store and Vary', async () => {
    const user = await createUser();
    const res = await get('/api/v1/posts', { token: user.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe(PRIVATE);
    expect(varies(res.headers)).toBe(true);
  });
});

describe('GraphQL (optional bearer) follows the same rule', () => {
  it('POST /graphql: Vary: Authorization; private, no-store only with a token', async () => {
    const query = { query: '{ posts(first: 1) { nodes { id } } }' };
    const anonymous = await post('/graphql', query);
    expect(anonymous.status).toBe(200);
    expect(varies(anonymous.headers)).toBe(true);
    expect(anonymous.headers.get('Cache-Control') ?? '').not.toContain('no-store');
    const user = await createUser();
    const signedIn = await post('/graphql', query, { token: user.token });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('Cache-Control')).toBe(PRIVATE);
  });
});

describe('public reads stay public', () => {
  it('GET /profiles has neither no-store nor Vary: Authorization', async () => {
    const res = await get('/api/v1/profiles');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control') ?? '').not.toContain('no-store');
    expect(varies(res.headers)).toBe(false);
  });
});
