import { exports } from 'cloudflare:workers';
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { uniqueIp, uniqueName } from '../support/auth';
import { COOKIE_NAME } from './helpers';

// Raw bytes of every response, as a client would see them, before any parsing.
const bodies: string[] = [];
const secrets: string[] = [];

async function raw(
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
) {
  const headers = new Headers(init.headers);
  headers.set('CF-Connecting-IP', uniqueIp());
  if (init.json !== undefined) headers.set('Content-Type', 'application/json');
  const res = await exports.default.fetch(
    new Request(`http://localhost${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers,
      body: init.json === undefined ? null : JSON.stringify(init.json),
    }),
  );
  const text = await res.text();
  const visibleHeaders = [...res.headers].filter(([name]) => name !== 'set-cookie');
  bodies.push(text, JSON.stringify(visibleHeaders));
  const cookie = /__Secure-ublog_refresh=([^;]+)/.exec(res.headers.get('Set-Cookie') ?? '')?.[1];
  if (cookie) secrets.push(cookie, createHash('sha256').update(cookie).digest('hex'));
  return { res, text, cookie };
}

it('no response body or header carries a password, a password hash or a refresh token', async () => {
  const username = uniqueName();
  const email = `${username}@example.com`;
  const password = 'my very secret passphrase';
  const newPassword = 'another secret passphrase';
  secrets.push(password, newPassword, '$scrypt$', 'scrypt$ln');

  await raw('/api/v1/auth/register', { json: { email, username, password } });
  await raw('/api/v1/auth/register', { json: { email, username, password } }); // 409
  await raw('/api/v1/auth/register', { json: { email: 'x', username: '!', password: 'short' } });
  await raw('/api/v1/auth/login', { json: { username, password: `${password}x` } }); // 401
  const login = await raw('/api/v1/auth/login', { json: { email, password } });
  expect(login.res.status).toBe(200);
  const access = JSON.parse(login.text).access_token as string;
  const auth = { Authorization: `Bearer ${access}` };
  const cookie = (token = '') => ({ Cookie: `${COOKIE_NAME}=${token}` });

  const refreshed = await raw('/api/v1/auth/refresh', {
    method: 'POST',
    headers: cookie(login.cookie),
  });
  await raw('/api/v1/auth/refresh', { method: 'POST', headers: cookie(login.cookie) }); // grace
  expect(refreshed.res.status).toBe(200);
  expect((await raw('/api/v1/users/me', { headers: auth })).res.status).toBe(200);
  await raw('/api/v1/users/me', {
    method: 'PATCH',
    json: { username: uniqueName() },
    headers: auth,
  });
  const changed = await raw('/api/v1/auth/password', {
    json: { current_password: password, new_password: newPassword },
    headers: { ...auth, ...cookie(refreshed.cookie) },
  });
  expect(changed.res.status).toBe(204);
  await raw('/api/v1/auth/password', {
    json: { current_password: 'wrong password!', new_password: newPassword },
    headers: auth,
  });
  await raw('/api/v1/auth/password-reset', { json: { email } });
  await raw('/api/v1/auth/password-reset/confirm', {
    json: { token: 'x'.repeat(43), new_password: newPassword },
  });
  await raw('/api/v1/auth/verify-email', { json: { token: 'y'.repeat(43) } });
  await raw('/api/v1/auth/logout', { method: 'POST', headers: cookie(refreshed.cookie) });
  await raw('/api/v1/auth/refresh', { method: 'POST', headers: cookie(refreshed.cookie) }); // 401
  // The password change retired `auth`; a fresh login carries on.
  const again = await raw('/api/v1/auth/login', { json: { email, password: newPassword } });
  const fresh = { Authorization: `Bearer ${JSON.parse(again.text).access_token}` };
  await raw('/api/v1/users/me', {
    method: 'PATCH',
    json: { email: `new-${email}`, current_password: newPassword },
    headers: fresh,
  });
  await raw('/api/v1/users/me', {
    method: 'DELETE',
    json: { current_password: 'wrong password!' },
    headers: fresh,
  }); // 403
  const deleted = await raw('/api/v1/users/me', {
    method: 'DELETE',
    json: { current_password: newPassword },
    headers: fresh,
  });
  expect(deleted.res.status).toBe(204);

  expect(secrets.length).toBeGreaterThan(6); // the refresh tokens were seen and recorded
  for (const text of bodies) {
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
});
