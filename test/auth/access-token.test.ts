import { env } from 'cloudflare:workers';
import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/env';
import { signAccessToken } from '../../src/lib/tokens';
import { signUp } from '../support/auth';
import { get } from '../support/http';
import { expectProblem } from './helpers';

const config = readConfig(env);
const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

const claimsFor = (sub: string, nowMs = Date.now()) => {
  const iat = Math.floor(nowMs / 1000);
  return {
    sub,
    iat,
    exp: iat + 900,
    iss: config.JWT_ISSUER,
    aud: config.JWT_AUDIENCE,
    jti: crypto.randomUUID(),
  };
};

const subject = (id: string) => ({ id, tokenGeneration: 0 });
const me = (token: string) => get('/api/v1/users/me', { token });

function expectInvalidToken(res: Awaited<ReturnType<typeof me>>) {
  expectProblem(res, 401, 'invalid_token');
  expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
}

describe('access tokens', () => {
  it('accepts a token it signed', async () => {
    const { user } = await signUp();
    const { token } = await signAccessToken(config, subject(user.id));
    expect((await me(token)).status).toBe(200);
  });

  it('answers 401 with WWW-Authenticate: Bearer when no token is sent', async () => {
    const res = await get('/api/v1/users/me');
    expectProblem(res, 401, 'unauthenticated');
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer /);
  });

  it('refuses a non-Bearer Authorization header', async () => {
    const res = await get('/api/v1/users/me', { headers: { Authorization: 'Basic YWRhOnB3' } });
    expectInvalidToken(res);
  });

  it('refuses alg "none" in every spelling', async () => {
    const { user } = await signUp();
    const payload = b64url(claimsFor(user.id));
    for (const alg of ['none', 'None', 'NONE']) {
      const unsigned = `${b64url({ alg, typ: 'JWT' })}.${payload}.`;
      expectInvalidToken(await me(unsigned));
    }
  });

  it('refuses a downgrade: HS256 header with the signature stripped, or another HMAC', async () => {
    const { user } = await signUp();
    const { token } = await signAccessToken(config, subject(user.id));
    const [header, payload] = token.split('.');
    expectInvalidToken(await me(`${header}.${payload}.`));
    const hs512 = await sign(claimsFor(user.id), config.JWT_SECRET, 'HS512');
    expectInvalidToken(await me(hs512));
    const noneHeader = b64url({ alg: 'none', typ: 'JWT' });
    expectInvalidToken(await me(`${noneHeader}.${payload}.${token.split('.')[2]}`));
  });

  it('refuses a tampered payload', async () => {
    const victim = await signUp();
    const attacker = await signUp();
    const [header, , signature] = attacker.token.split('.');
    const forged = `${header}.${b64url(claimsFor(victim.user.id))}.${signature}`;
    expectInvalidToken(await me(forged));
  });

  it('refuses a token signed with another secret', async () => {
    const { user } = await signUp();
    const token = await sign(claimsFor(user.id), 'another-secret-that-is-long-enough-0123456789');
    expectInvalidToken(await me(token));
  });

  it('refuses an expired token (signed with a clock 16 minutes behind)', async () => {
    const { user } = await signUp();
    const { token } = await signAccessToken(config, subject(user.id), Date.now() - 16 * 60 * 1000);
    expectInvalidToken(await me(token));
    const fresh = await signAccessToken(config, subject(user.id), Date.now() - 14 * 60 * 1000);
    expect((await me(fresh.token)).status).toBe(200);
  });

  it('refuses a token without exp', async () => {
    const { user } = await signUp();
    const { exp: _, ...claims } = claimsFor(user.id);
    expectInvalidToken(await me(await sign(claims, config.JWT_SECRET, 'HS256')));
  });

  it('refuses a wrong issuer or audience', async () => {
    const { user } = await signUp();
    const wrongIss = await sign(
      { ...claimsFor(user.id), iss: 'https://evil.example' },
      config.JWT_SECRET,
    );
    const wrongAud = await sign({ ...claimsFor(user.id), aud: 'another-api' }, config.JWT_SECRET);
    expectInvalidToken(await me(wrongIss));
    expectInvalidToken(await me(wrongAud));
  });

  it('refuses a valid token of a deactivated user', async () => {
    const { token, user } = await signUp();
    expect((await me(token)).status).toBe(200);
    await env.DB.prepare('update users set is_active = 0 where id = ?').bind(user.id).run();
    expectInvalidToken(await me(token));
  });

  it('refuses a token that is not a JWT', async () => {
    const res = await get('/api/v1/users/me', { headers: { Authorization: 'Bearer not.a.jwt' } });
    expectInvalidToken(res);
  });
});
