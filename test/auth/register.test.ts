import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD, registerUser, uniqueIp, uniqueName } from '../support/auth';
import { post } from '../support/http';
import { exceedRateLimit, expectProblem } from './helpers';

const register = (body: Record<string, unknown>, ip = uniqueIp()) =>
  post('/api/v1/auth/register', body, { headers: { 'CF-Connecting-IP': ip } });

const fresh = () => {
  const username = uniqueName();
  return { email: `${username}@example.com`, username, password: DEFAULT_PASSWORD };
};

describe('POST /auth/register', () => {
  it('creates the user and its profile and answers 201 { user }', async () => {
    const body = fresh();
    const res = await register(body);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      email: body.email,
      username: body.username,
      email_verified: false,
      is_admin: false,
      profile: { username: body.username, bio: '', city: '', avatar_url: null, post_count: 0 },
    });
    expect(res.body.user.id).toMatch(/^[0-9a-f-]{36}$/);
    const profile = await env.DB.prepare('select user_id from profiles where user_id = ?')
      .bind(res.body.user.id)
      .first();
    expect(profile).not.toBeNull();
    const row = await env.DB.prepare('select password_hash from users where id = ?')
      .bind(res.body.user.id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$/);
    expect(JSON.stringify(res.body)).not.toContain(body.password);
    expect(JSON.stringify(res.body)).not.toContain('$scrypt$');
  });

  it('stores a hashed email verification token valid for 48 hours', async () => {
    const { user } = await registerUser();
    const token = await env.DB.prepare(
      'select token_hash, expires_at, created_at, used_at from one_time_tokens where user_id = ? and purpose = ?',
    )
      .bind(user.id, 'email_verification')
      .first<{ token_hash: string; expires_at: number; created_at: number; used_at: null }>();
    expect(token?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(token?.used_at).toBeNull();
    expect((token?.expires_at ?? 0) - (token?.created_at ?? 0)).toBe(48 * 60 * 60 * 1000);
  });

  it('answers 409 for an email taken in another letter case', async () => {
    const taken = await registerUser();
    const res = await register({ ...fresh(), email: taken.email.toUpperCase() });
    expectProblem(res, 409, 'email_taken');
    expect(res.body.errors).toEqual([{ path: '/body/email', message: expect.any(String) }]);
  });

  it('answers 409 for a username taken in another letter case', async () => {
    const taken = await registerUser();
    const res = await register({ ...fresh(), username: taken.username.toUpperCase() });
    expectProblem(res, 409, 'username_taken');
    expect(res.body.errors[0].path).toBe('/body/username');
  });

  it('lets exactly one of two simultaneous sign-ups with one username win', async () => {
    const username = uniqueName();
    const results = await Promise.all([
      register({ ...fresh(), username }),
      register({ ...fresh(), username: username.toUpperCase() }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const { results: rows } = await env.DB.prepare(
      'select id from users where lower(username) = lower(?)',
    )
      .bind(username)
      .all();
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['a password under 8 characters', { password: 'short12' }, '/body/password'],
    ['a password over 128 characters', { password: 'x'.repeat(129) }, '/body/password'],
    ['a common password in any letter case', { password: 'PassWord' }, '/body/password'],
    ['another common password', { password: 'iloveyou' }, '/body/password'],
    ['a username with a space', { username: 'ada lovelace' }, '/body/username'],
    ['a username under 3 characters', { username: 'ab' }, '/body/username'],
    ['a username over 30 characters', { username: 'a'.repeat(31) }, '/body/username'],
    ['a malformed email', { email: 'not-an-email' }, '/body/email'],
    ['a server-owned field', { is_admin: true }, '/body/is_admin'],
  ])('answers 422 for %s', async (_, change, path) => {
    const res = await register({ ...fresh(), ...change });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('accepts passwords of exactly 8 and 128 characters', async () => {
    expect((await register({ ...fresh(), password: 'zq8!xv2k' })).status).toBe(201);
    expect((await register({ ...fresh(), password: `${'k'.repeat(127)}!` })).status).toBe(201);
  });

  it('is rate limited per IP with 429 and Retry-After', async () => {
    const ip = uniqueIp();
    const limited = await exceedRateLimit(() => register(fresh(), ip), 201);
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers.get('Retry-After')).toBe('60');
    // Another address is not affected.
    expect((await register(fresh())).status).toBe(201);
  });
});
