import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { registerUser } from '../support/auth';
import { get, post } from '../support/http';
import { expectProblem, loginSession, logoutWith, refreshTokenFrom, refreshWith } from './helpers';

const GRACE_MS = 10_000;

/** Moves a session's rotation time into the past: the clock the grace rule reads. */
async function rotatedAgo(token: string, ms: number) {
  const hash = Array.from(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))),
    (b) => b.toString(16).padStart(2, '0'),
  ).join('');
  await env.DB.prepare('update sessions set rotated_at = rotated_at - ? where token_hash = ?')
    .bind(ms, hash)
    .run();
}

async function newSession() {
  const account = await registerUser();
  const session = await loginSession(account.username, account.password);
  return { ...account, ...session };
}

async function expectRefreshRefused(token: string) {
  const res = await refreshWith(token);
  expectProblem(res, 401, 'invalid_refresh_token');
  expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
  expect(res.headers.get('Set-Cookie')).toMatch(/^__Secure-ublog_refresh=;.*Max-Age=0/);
  return res;
}

describe('POST /auth/refresh', () => {
  it('rotates the token and answers with a new access token', async () => {
    const { refreshToken, user } = await newSession();
    const res = await refreshWith(refreshToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    const rotated = refreshTokenFrom(res);
    expect(rotated).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated).not.toBe(refreshToken);
    const me = await get('/api/v1/users/me', { token: res.body.access_token });
    expect(me.body.id).toBe(user.id);
    // The new token keeps working, one rotation after another.
    const again = await refreshWith(rotated ?? '');
    expect(again.status).toBe(200);
  });

  it('revokes the whole family when a rotated token comes back after the grace window', async () => {
    const { refreshToken: first } = await newSession();
    const second = refreshTokenFrom(await refreshWith(first)) ?? '';
    const third = refreshTokenFrom(await refreshWith(second)) ?? '';
    await rotatedAgo(first, GRACE_MS + 1_000);
    const reused = await expectRefreshRefused(first);
    expect(reused.body.detail).toMatch(/already used/);
    // The newest token of the family is dead too.
    await expectRefreshRefused(third);
  });

  it('lets a just-rotated token refresh once more within the grace window, then revokes', async () => {
    const { refreshToken: first } = await newSession();
    const second = refreshTokenFrom(await refreshWith(first)) ?? '';
    const graceRes = await refreshWith(first);
    expect(graceRes.status).toBe(200);
    // An access token only: the replay gets no refresh token of its own.
    expect(refreshTokenFrom(graceRes)).toBeUndefined();
    // A third use of the same token is reuse: the family goes.
    await expectRefreshRefused(first);
    await expectRefreshRefused(second);
  });

  it('two tabs refreshing at the same instant both stay logged in', async () => {
    const { refreshToken } = await newSession();
    const [a, b] = await Promise.all([refreshWith(refreshToken), refreshWith(refreshToken)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    for (const res of [a, b]) {
      expect((await get('/api/v1/users/me', { token: res.body.access_token })).status).toBe(200);
    }
    // One of them rotated the cookie both tabs share; that one carries on.
    const rotated = [refreshTokenFrom(a), refreshTokenFrom(b)].filter((t) => t !== undefined);
    expect(rotated.length).toBe(1);
    expect((await refreshWith(rotated[0] ?? '')).status).toBe(200);
  });

  it('refuses a request from an origin that is not allowed (403), without spending the token', async () => {
    const { refreshToken } = await newSession();
    for (const origin of ['https://evil.example', 'null', 'http://localhost:5174']) {
      const res = await refreshWith(refreshToken, { Origin: origin });
      expectProblem(res, 403, 'origin_not_allowed');
    }
    const allowed = await refreshWith(refreshToken, { Origin: 'http://localhost:5173' });
    expect(allowed.status).toBe(200);
    const sameOrigin = await refreshWith(refreshTokenFrom(allowed) ?? '', {
      Origin: 'http://localhost',
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('answers 401 without a cookie, with a malformed one, or an unknown one', async () => {
    const none = await post('/api/v1/auth/refresh');
    expectProblem(none, 401, 'invalid_refresh_token');
    await expectRefreshRefused('not-a-token');
    await expectRefreshRefused('A'.repeat(43));
  });

  it('answers 401 for an expired session', async () => {
    const { refreshToken, user } = await newSession();
    await env.DB.prepare('update sessions set expires_at = ? where user_id = ?')
      .bind(Date.now() - 1_000, user.id)
      .run();
    await expectRefreshRefused(refreshToken);
  });

  it('answers 401 for a deactivated user', async () => {
    const { refreshToken, user } = await newSession();
    await env.DB.prepare('update users set is_active = 0 where id = ?').bind(user.id).run();
    await expectRefreshRefused(refreshToken);
  });

  it('keeps other logins (families) apart', async () => {
    const account = await registerUser();
    const a = await loginSession(account.username);
    const b = await loginSession(account.username);
    await refreshWith(a.refreshToken);
    await rotatedAgo(a.refreshToken, GRACE_MS + 1_000);
    await expectRefreshRefused(a.refreshToken);
    expect((await refreshWith(b.refreshToken)).status).toBe(200);
  });
});

describe('POST /auth/logout', () => {
  it('revokes the family, clears the cookie, and refresh then fails', async () => {
    const { refreshToken: first } = await newSession();
    const second = refreshTokenFrom(await refreshWith(first)) ?? '';
    const res = await logoutWith(second);
    expect(res.status).toBe(204);
    expect(res.headers.get('Set-Cookie')).toMatch(/^__Secure-ublog_refresh=;.*Max-Age=0/);
    await expectRefreshRefused(second);
  });

  it('is idempotent, with or without a cookie', async () => {
    const { refreshToken } = await newSession();
    expect((await logoutWith(refreshToken)).status).toBe(204);
    expect((await logoutWith(refreshToken)).status).toBe(204);
    expect((await post('/api/v1/auth/logout')).status).toBe(204);
  });

  it('refuses a cross-site origin with 403 and leaves the session alone', async () => {
    const { refreshToken } = await newSession();
    const res = await logoutWith(refreshToken, { Origin: 'https://evil.example' });
    expectProblem(res, 403, 'origin_not_allowed');
    expect((await refreshWith(refreshToken)).status).toBe(200);
  });
});
