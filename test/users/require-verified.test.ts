import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { markEmailVerified, signUp, uniqueName } from '../support/auth';
import { assertMatchesContract } from '../support/contract';

// The same app with REQUIRE_VERIFIED_EMAIL switched on: a fresh env object gets its own
// parsed config (config is cached per env object).
const strictEnv = { ...env, REQUIRE_VERIFIED_EMAIL: 'true' };
const app = createApp();

async function send(method: string, path: string, token: string, body: unknown) {
  const url = `http://localhost${path}`;
  const ctx = createExecutionContext();
  const res = await app.request(
    url,
    {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    },
    strictEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const json = await res.json();
  assertMatchesContract(method, url, res, json);
  return { status: res.status, body: json as any };
}

const patchMe = (token: string, body: unknown) => send('PATCH', '/api/v1/users/me', token, body);

describe('REQUIRE_VERIFIED_EMAIL', () => {
  it('keeps an unverified account from changing its username (403) but lets it fix its email', async () => {
    const { token, password } = await signUp();
    const refused = await patchMe(token, { username: uniqueName() });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('email_not_verified');
    const fixed = await patchMe(token, {
      email: `${uniqueName()}@example.net`,
      current_password: password,
    });
    expect(fixed.status).toBe(200);
  });

  it('lets a verified account change its username', async () => {
    const { token, user } = await signUp();
    await markEmailVerified(user.id);
    const renamed = uniqueName();
    const res = await patchMe(token, { username: renamed });
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(renamed);
  });

  it('makes an unverified account read-only for content writes (requireWriter)', async () => {
    const { token, user } = await signUp();
    const refused = await send('POST', '/api/v1/statuses', token, { content: 'hello' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('email_not_verified');
    await markEmailVerified(user.id);
    expect((await send('POST', '/api/v1/statuses', token, { content: 'hello' })).status).toBe(201);
  });

  it('is off by default', async () => {
    const { token } = await signUp();
    const res = await app.request(
      'http://localhost/api/v1/users/me',
      {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: uniqueName() }),
      },
      env,
      createExecutionContext(),
    );
    expect(res.status).toBe(200);
  });
});
