import { beforeAll, describe, expect, it } from 'vitest';
import { measure } from '../support/db-cost';
import { post, put } from '../support/http';
import { createUser, type DirectUser, postCountOf, writePost } from './fixtures';

let user: DirectUser;

beforeAll(async () => {
  user = await createUser();
});

describe('write limits', () => {
  it('refuses a JSON body over the size limit with 413', async () => {
    const res = await post('/api/v1/posts', { body: 'x'.repeat(70_000) }, { token: user.token });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('rate-limits writes per user with 429 and Retry-After', async () => {
    const writer = await createUser();
    const { id } = await writePost(writer);
    let refused: Awaited<ReturnType<typeof put>> | undefined;
    // WRITE_LIMITER allows 120 writes a minute per user (wrangler.toml); likes are idempotent.
    for (let i = 0; i < 130 && !refused; i++) {
      const res = await put(`/api/v1/posts/${id}/like`, undefined, { token: writer.token });
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(200);
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get('Retry-After'))).toBeGreaterThan(0);
    // Another user is not affected.
    expect((await put(`/api/v1/posts/${id}/like`, undefined, { token: user.token })).status).toBe(
      200,
    );
  });

  it('lets unverified users read but not write when REQUIRE_VERIFIED_EMAIL is on (403)', async () => {
    const unverified = await createUser();
    const bindings = { REQUIRE_VERIFIED_EMAIL: 'true' };
    const { id } = await writePost(user);
    const attempts = [
      measure('/api/v1/posts', {
        method: 'POST',
        token: unverified.token,
        json: { body: 'x' },
        bindings,
      }),
      measure(`/api/v1/posts/${id}/like`, { method: 'PUT', token: unverified.token, bindings }),
      measure('/api/v1/statuses', {
        method: 'POST',
        token: unverified.token,
        json: { content: 'x' },
        bindings,
      }),
      measure('/api/v1/profiles/me', {
        method: 'PATCH',
        token: unverified.token,
        json: { bio: 'x' },
        bindings,
      }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('email_not_verified');
    }
    expect(await postCountOf(unverified.id)).toBe(0);
    const read = await measure(`/api/v1/posts/${id}`, { token: unverified.token, bindings });
    expect(read.status).toBe(200);
  });
});
