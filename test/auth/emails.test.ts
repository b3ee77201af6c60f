import { env } from 'cloudflare:workers';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RegisteredUser, registerUser, uniqueIp, uniqueName } from '../support/auth';
import { get, post } from '../support/http';
import {
  exceedRateLimit,
  expectProblem,
  loginSession,
  refreshWith,
  waitForEmails,
} from './helpers';

// Emails travel through the real jobs queue: the local runtime delivers a batch to the
// Worker's queue handler within a few seconds, which writes them to email_outbox. Accounts
// are made up front so their emails arrive in one batch.

const verify = (token: string) => post('/api/v1/auth/verify-email', { token });
const requestReset = (email: string, ip = uniqueIp()) =>
  post('/api/v1/auth/password-reset', { email }, { headers: { 'CF-Connecting-IP': ip } });
const confirmReset = (token: string, new_password: string) =>
  post('/api/v1/auth/password-reset/confirm', { token, new_password });
const NEW_PASSWORD = 'reset to something new';

const accounts: Record<string, RegisteredUser> = {};

beforeAll(async () => {
  for (const name of ['verify', 'resend', 'expired', 'reset', 'resetExpired', 'resetTwice']) {
    accounts[name] = await registerUser();
  }
  for (const name of ['reset', 'resetExpired']) {
    expect((await requestReset(accounts[name]!.email)).status).toBe(202);
  }
});

describe('email verification', () => {
  it('registration emails a token that verifies the address once and logs nobody in', async () => {
    const { email, username } = accounts.verify!;
    const [token] = await waitForEmails(email, 'welcome');
    const res = await verify(token ?? '');
    expect(res.status).toBe(204);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    const { accessToken } = await loginSession(username);
    const me = await get('/api/v1/users/me', { token: accessToken });
    expect(me.body.email_verified).toBe(true);
    expectProblem(await verify(token ?? ''), 422, 'invalid_or_expired_token');
  });

  it('answers 422 on /body/token for a token that does not exist', async () => {
    for (const token of ['nope', 'A'.repeat(43)]) {
      const res = await verify(token);
      expectProblem(res, 422, 'invalid_or_expired_token');
      expect(res.body.errors).toEqual([{ path: '/body/token', message: expect.any(String) }]);
    }
  });

  it('refuses an expired token', async () => {
    const { email, user } = accounts.expired!;
    const [token] = await waitForEmails(email, 'welcome');
    await env.DB.prepare('update one_time_tokens set expires_at = ? where user_id = ?')
      .bind(Date.now() - 1, user.id)
      .run();
    expectProblem(await verify(token ?? ''), 422, 'invalid_or_expired_token');
  });

  it('resend emails a fresh token, the old one stops working, and a verified address gets 409', async () => {
    const { email, username } = accounts.resend!;
    const [oldToken] = await waitForEmails(email, 'welcome');
    const { accessToken } = await loginSession(username);
    const resend = await post('/api/v1/auth/verify-email/resend', undefined, {
      token: accessToken,
      headers: { 'CF-Connecting-IP': uniqueIp() },
    });
    expect(resend.status).toBe(202);
    const tokens = await waitForEmails(email, 'welcome', 2);
    const newToken = tokens[1] ?? '';
    expect(newToken).not.toBe(oldToken);
    expectProblem(await verify(oldToken ?? ''), 422);
    expect((await verify(newToken)).status).toBe(204);
    const again = await post('/api/v1/auth/verify-email/resend', undefined, {
      token: accessToken,
      headers: { 'CF-Connecting-IP': uniqueIp() },
    });
    expectProblem(again, 409, 'email_already_verified');
  });

  it('resend needs a bearer token and is rate limited per IP', async () => {
    expectProblem(await post('/api/v1/auth/verify-email/resend'), 401);
    const account = await registerUser();
    const { accessToken } = await loginSession(account.username);
    const ip = uniqueIp();
    const limited = await exceedRateLimit(
      () =>
        post('/api/v1/auth/verify-email/resend', undefined, {
          token: accessToken,
          headers: { 'CF-Connecting-IP': ip },
        }),
      202,
    );
    expectProblem(limited, 429, 'rate_limited');
  });
});

describe('password reset', () => {
  it('answers 202 for an unknown address too, and emails nobody', async () => {
    const unknown = `${uniqueName()}@example.com`;
    expect((await requestReset(unknown)).status).toBe(202);
    // By the time a later reset email has arrived, a message for this address would have too.
    await waitForEmails(accounts.reset!.email, 'password_reset');
    const row = await env.DB.prepare('select id from email_outbox where "to" = ?')
      .bind(unknown)
      .first();
    expect(row).toBeNull();
  });

  it('sets the new password with the emailed token once, and revokes every session', async () => {
    const { email, username, password } = accounts.reset!;
    const session = await loginSession(username);
    const [token] = await waitForEmails(email, 'password_reset');
    const res = await confirmReset(token ?? '', NEW_PASSWORD);
    expect(res.status).toBe(204);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    expectProblem(await refreshWith(session.refreshToken), 401, 'invalid_refresh_token');
    await expect(loginSession(username, password)).rejects.toThrow(/401/);
    await loginSession(username, NEW_PASSWORD);
    // Reuse of the token is refused and changes nothing.
    expectProblem(await confirmReset(token ?? '', 'yet another passphrase'), 422);
    await loginSession(username, NEW_PASSWORD);
  });

  it('refuses an expired reset token', async () => {
    const { email, user } = accounts.resetExpired!;
    const [token] = await waitForEmails(email, 'password_reset');
    await env.DB.prepare(
      "update one_time_tokens set expires_at = ? where user_id = ? and purpose = 'password_reset'",
    )
      .bind(Date.now() - 1, user.id)
      .run();
    expectProblem(await confirmReset(token ?? '', NEW_PASSWORD), 422, 'invalid_or_expired_token');
  });

  it('stores the reset token hashed, valid for one hour; a new request replaces the old token', async () => {
    const { email, user } = accounts.resetTwice!;
    await requestReset(email);
    await requestReset(email);
    const emailed = await waitForEmails(email, 'password_reset', 2);
    const { results } = await env.DB.prepare(
      "select token_hash, expires_at - created_at as ttl, used_at from one_time_tokens where user_id = ? and purpose = 'password_reset'",
    )
      .bind(user.id)
      .all<{ token_hash: string; ttl: number; used_at: number | null }>();
    expect(results.map((r) => r.ttl)).toEqual([3_600_000, 3_600_000]);
    const live = results.filter((r) => r.used_at === null);
    expect(live).toHaveLength(1);
    // Which emailed token is the live one: the database knows only hashes.
    const hashes = emailed.map((t) => createHash('sha256').update(t).digest('hex'));
    expect([...hashes].sort()).toEqual(results.map((r) => r.token_hash).sort());
    const liveToken = emailed.find((_, i) => hashes[i] === live[0]?.token_hash) ?? '';
    const replaced = emailed.find((t) => t !== liveToken) ?? '';
    expectProblem(await confirmReset(replaced, NEW_PASSWORD), 422);
    expect((await confirmReset(liveToken, NEW_PASSWORD)).status).toBe(204);
  });

  it('refuses a common new password with 422 before looking at the token', async () => {
    const res = await confirmReset('A'.repeat(43), 'football');
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors[0].path).toBe('/body/new_password');
  });

  it('is rate limited per IP', async () => {
    const ip = uniqueIp();
    const limited = await exceedRateLimit(
      () => requestReset(`${uniqueName()}@example.com`, ip),
      202,
    );
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers.get('Retry-After')).toBe('60');
  });
});
