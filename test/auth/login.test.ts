import { env } from 'cloudflare:workers';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/lib/passwords';
import { registerUser, uniqueIp, uniqueName } from '../support/auth';
import { get, post } from '../support/http';
import { exceedRateLimit, expectProblem, refreshTokenFrom } from './helpers';

const login = (body: Record<string, unknown>, ip = uniqueIp()) =>
  post('/api/v1/auth/login', body, { headers: { 'CF-Connecting-IP': ip } });

describe('POST /auth/login', () => {
  it('logs in by username or email in any letter case', async () => {
    const { username, email, password } = await registerUser();
    for (const body of [
      { username, password },
      { username: username.toUpperCase(), password },
      { email, password },
      { email: email.toUpperCase(), password },
    ]) {
      const res = await login(body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
      });
      expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    }
  });

  it('gives an access token that works and a refresh cookie with the right attributes', async () => {
    const { username, password, user } = await registerUser();
    const res = await login({ username, password });
    const cookie = res.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/^__Secure-ublog_refresh=[A-Za-z0-9_-]{43};/);
    for (const attribute of [
      'HttpOnly',
      'Secure',
      'SameSite=Strict',
      'Path=/api/v1/auth',
      'Max-Age=1209600',
    ]) {
      expect(cookie.split('; ')).toContain(attribute);
    }
    const me = await get('/api/v1/users/me', { token: res.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(user.id);
  });

  it('stores only the SHA-256 of the refresh token, in a new family', async () => {
    const { username, password, user } = await registerUser();
    const token = refreshTokenFrom(await login({ username, password })) ?? '';
    const { results } = await env.DB.prepare(
      'select id, family_id, parent_id, token_hash from sessions where user_id = ?',
    )
      .bind(user.id)
      .all<{ id: string; family_id: string; parent_id: string | null; token_hash: string }>();
    expect(results).toHaveLength(1);
    expect(results[0]?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(results[0]?.token_hash).not.toContain(token);
    expect(results[0]?.family_id).toBe(results[0]?.id);
    expect(results[0]?.parent_id).toBeNull();
  });

  it.each([
    ['both email and username', { email: 'a@example.com', username: 'abc' }],
    ['neither email nor username', {}],
    ['an unknown field', { username: 'abc', remember_me: true }],
    ['no password', { username: 'abc', password: undefined }],
  ])('answers 422 for %s', async (_, body) => {
    const res = await login({ password: 'whatever123', ...body });
    expectProblem(res, 422, 'validation_failed');
  });

  it('says the same thing for an unknown account and a wrong password (no enumeration)', async () => {
    const { username, email } = await registerUser();
    const answers = await Promise.all([
      login({ username, password: 'wrong password 1' }),
      login({ username: uniqueName(), password: 'wrong password 1' }),
      login({ email, password: 'wrong password 1' }),
      login({ email: `${uniqueName()}@example.com`, password: 'wrong password 1' }),
    ]);
    for (const res of answers) {
      expectProblem(res, 401, 'invalid_credentials');
      expect(res.headers.get('Set-Cookie')).toBeNull();
    }
    expect(new Set(answers.map((r) => r.body.detail)).size).toBe(1);
    expect(new Set(answers.map((r) => r.headers.get('WWW-Authenticate'))).size).toBe(1);
  });

  it('refuses a deactivated account with the same 401', async () => {
    const { username, password, user } = await registerUser();
    await env.DB.prepare('update users set is_active = 0 where id = ?').bind(user.id).run();
    const res = await login({ username, password });
    expectProblem(res, 401, 'invalid_credentials');
  });

  it('rehashes a password stored with weaker parameters on a successful login', async () => {
    const { username, password, user } = await registerUser();
    const weak = await hashPassword(password, { ln: 10, r: 8, p: 1 });
    await env.DB.prepare('update users set password_hash = ? where id = ?')
      .bind(weak, user.id)
      .run();
    expect((await login({ username, password })).status).toBe(200);
    const row = await env.DB.prepare('select password_hash from users where id = ?')
      .bind(user.id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$/);
    expect((await login({ username, password })).status).toBe(200);
  });

  it('is rate limited per IP: 429 with Retry-After', async () => {
    const ip = uniqueIp();
    const limited = await exceedRateLimit(
      () => login({ username: uniqueName(), password: 'wrong password 1' }, ip),
      401,
    );
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers.get('Retry-After')).toBe('60');
  });

  it('is rate limited per account identifier across addresses and letter cases', async () => {
    const { username } = await registerUser();
    let attempt = 0;
    const limited = await exceedRateLimit(() => {
      attempt++;
      const name = attempt % 2 === 0 ? username.toUpperCase() : username;
      return login({ username: name, password: 'wrong password 1' });
    }, 401);
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers.get('Retry-After')).toBe('60');
  });
});
