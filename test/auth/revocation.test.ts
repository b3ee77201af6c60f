import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { makeAdmin, registerUser, signUp } from '../support/auth';
import { get, patch, post } from '../support/http';
import { cookieFor, expectProblem, loginSession, refreshTokenFrom, refreshWith } from './helpers';

// Revocation reaches access tokens: each of these events makes every access token issued
// before it fail at once, not when it expires 15 minutes later.

const me = (token: string) => get('/api/v1/users/me', { token });
const logoutAll = (token: string, headers: Record<string, string> = {}) =>
  post('/api/v1/auth/logout-all', undefined, { token, headers });

async function twoSessions() {
  const account = await registerUser();
  const a = await loginSession(account.username, account.password);
  const b = await loginSession(account.username, account.password);
  expect((await me(a.accessToken)).status).toBe(200);
  expect((await me(b.accessToken)).status).toBe(200);
  return { account, a, b };
}

async function expectRevoked(...tokens: string[]) {
  for (const token of tokens) expectProblem(await me(token), 401, 'invalid_token');
}

describe('POST /auth/logout-all', () => {
  it('revokes every session family and every access token of the account, and clears the cookie', async () => {
    const { a, b } = await twoSessions();
    const other = await signUp();
    const res = await logoutAll(a.accessToken, cookieFor(a.refreshToken));
    expect(res.status).toBe(204);
    expect(res.headers.get('Set-Cookie')).toMatch(/^__Secure-ublog_refresh=;.*Max-Age=0/);
    await expectRevoked(a.accessToken, b.accessToken);
    expectProblem(await refreshWith(a.refreshToken), 401, 'invalid_refresh_token');
    expectProblem(await refreshWith(b.refreshToken), 401, 'invalid_refresh_token');
    expect((await me(other.token)).status).toBe(200);
  });

  it('needs a bearer token', async () => {
    expectProblem(await post('/api/v1/auth/logout-all'), 401, 'unauthenticated');
  });

  it('a login right after (same second) gets a working token', async () => {
    const { account, a } = await twoSessions();
    expect((await logoutAll(a.accessToken)).status).toBe(204);
    const fresh = await loginSession(account.username, account.password);
    expect((await me(fresh.accessToken)).status).toBe(200);
  });
});

describe('events that retire earlier access tokens', () => {
  it('a password change: every earlier token fails; the caller refreshes its kept family', async () => {
    const { account, a, b } = await twoSessions();
    const res = await post(
      '/api/v1/auth/password',
      { current_password: account.password, new_password: 'a brand new passphrase' },
      { token: a.accessToken, headers: cookieFor(a.refreshToken) },
    );
    expect(res.status).toBe(204);
    await expectRevoked(a.accessToken, b.accessToken);
    const refreshed = await refreshWith(a.refreshToken);
    expect(refreshed.status).toBe(200);
    expect((await me(refreshed.body.access_token)).status).toBe(200);
  });

  it('a password reset', async () => {
    const { account, a } = await twoSessions();
    const resetToken = 'r'.repeat(43);
    const hash = Array.from(
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(resetToken))),
      (x) => x.toString(16).padStart(2, '0'),
    ).join('');
    await env.DB.prepare(
      "insert into one_time_tokens (id, user_id, purpose, token_hash, expires_at) values (?, ?, 'password_reset', ?, ?)",
    )
      .bind(crypto.randomUUID(), account.user.id, hash, Date.now() + 3_600_000)
      .run();
    const res = await post('/api/v1/auth/password-reset/confirm', {
      token: resetToken,
      new_password: 'a brand new passphrase',
    });
    expect(res.status).toBe(204);
    await expectRevoked(a.accessToken);
  });

  it('refresh-token reuse: every access token of the account fails', async () => {
    const { account, a, b } = await twoSessions();
    const rotated = await refreshWith(a.refreshToken);
    const second = refreshTokenFrom(rotated) ?? '';
    expect((await refreshWith(second)).status).toBe(200);
    await env.DB.prepare(
      'update sessions set rotated_at = rotated_at - 60000 where user_id = ? and rotated_at is not null',
    )
      .bind(account.user.id)
      .run();
    expectProblem(await refreshWith(a.refreshToken), 401, 'invalid_refresh_token');
    await expectRevoked(a.accessToken, rotated.body.access_token, b.accessToken);
  });

  it('deactivation: the tokens stay dead after the account is reactivated', async () => {
    const admin = await signUp();
    await makeAdmin(admin.user.id);
    const { account, a } = await twoSessions();
    const path = `/api/v1/admin/users/${account.user.id}`;
    expect((await patch(path, { is_active: false }, { token: admin.token })).status).toBe(200);
    expect((await patch(path, { is_active: true }, { token: admin.token })).status).toBe(200);
    await expectRevoked(a.accessToken);
    const fresh = await loginSession(account.username, account.password);
    expect((await me(fresh.accessToken)).status).toBe(200);
  });
});
