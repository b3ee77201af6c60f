import { env, exports } from 'cloudflare:workers';
import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { readConfig } from '../../src/env';
import { registerUser, signUp, uniqueIp, uniqueName } from '../support/auth';
import { get, post } from '../support/http';
import { openApiDocument } from '../support/openapi-document';
import { expectProblem, loginSession, logoutWith, refreshTokenFrom, refreshWith } from './helpers';

// Only routes that use the bearer token (required or optional) judge the Authorization
// header; cookie and public routes ignore it, so a stale token left in a client cannot
// break refresh, logout, sign-up or public reads.

const config = readConfig(env);

/** A correctly signed token that expired a minute ago. */
async function expiredToken(userId: string) {
  const iat = Math.floor(Date.now() / 1000) - 16 * 60;
  return sign(
    {
      sub: userId,
      iat,
      exp: iat + 15 * 60,
      iss: config.JWT_ISSUER,
      aud: config.JWT_AUDIENCE,
      jti: crypto.randomUUID(),
      gen: 0,
    },
    config.JWT_SECRET,
    'HS256',
  );
}

describe('a stale Authorization header on cookie routes', () => {
  it('refresh still rotates the cookie', async () => {
    const account = await registerUser();
    const { refreshToken } = await loginSession(account.username);
    const stale = await expiredToken(account.user.id);
    const res = await refreshWith(refreshToken, { Authorization: `Bearer ${stale}` });
    expect(res.status).toBe(200);
    expect(refreshTokenFrom(res)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('logout still revokes the family', async () => {
    const account = await registerUser();
    const { refreshToken } = await loginSession(account.username);
    const res = await logoutWith(refreshToken, { Authorization: 'Bearer not.a.jwt' });
    expect(res.status).toBe(204);
    expectProblem(await refreshWith(refreshToken), 401, 'invalid_refresh_token');
  });
});

describe('a stale Authorization header on public routes', () => {
  const stale = { Authorization: 'Bearer not.a.jwt', 'CF-Connecting-IP': uniqueIp() };

  it('register, password reset and verify-email answer as if it were not there', async () => {
    const username = uniqueName();
    const register = await post(
      '/api/v1/auth/register',
      { email: `${username}@example.com`, username, password: 'correct horse battery staple' },
      { headers: stale },
    );
    expect(register.status).toBe(201);
    const reset = await post(
      '/api/v1/auth/password-reset',
      { email: `${username}@example.com` },
      { headers: stale },
    );
    expect(reset.status).toBe(202);
    const verify = await post(
      '/api/v1/auth/verify-email',
      { token: 'x'.repeat(43) },
      { headers: stale },
    );
    expectProblem(verify, 422, 'invalid_or_expired_token');
  });

  it('GET /images/{key} answers 404 for a missing image, not 401', async () => {
    const res = await get('/api/v1/images/u%2Fnobody%2Fnothing.png', { headers: stale });
    expectProblem(res, 404);
  });
});

describe('who judges the Authorization header, by the security each operation declares', () => {
  it('every bearer operation refuses a bad token with 401; no other operation does', async () => {
    const document = await openApiDocument(createApp());
    const checked: string[] = [];
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, operation] of Object.entries<any>(item)) {
        const security: Record<string, unknown>[] = operation.security ?? document.security ?? [];
        const usesBearer = security.some((s) => 'bearerAuth' in s);
        const url = `http://localhost${path.replace(/\{[^}]+\}/g, 'x')}`;
        const res = await exports.default.fetch(
          new Request(url, {
            method: method.toUpperCase(),
            headers: {
              Authorization: 'Bearer not.a.jwt',
              'CF-Connecting-IP': uniqueIp(),
              ...(method === 'get' ? {} : { 'Content-Type': 'application/json' }),
            },
            body: method === 'get' ? null : '{}',
          }),
        );
        const text = await res.text();
        const refusedToken = res.status === 401 && text.includes('"invalid_token"');
        checked.push(`${method.toUpperCase()} ${path}`);
        expect(refusedToken, `${method.toUpperCase()} ${path} answered ${res.status}`).toBe(
          usesBearer,
        );
      }
    }
    expect(checked.length).toBeGreaterThan(20);
  });
});

describe('the Bearer scheme', () => {
  it('is matched case-insensitively', async () => {
    const { token } = await signUp();
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const res = await get('/api/v1/users/me', {
        headers: { Authorization: `${scheme} ${token}` },
      });
      expect(res.status, scheme).toBe(200);
    }
  });
});
