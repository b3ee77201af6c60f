import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { expectProblem } from '../auth/helpers';
import { login, markEmailVerified, registerUser, signUp, uniqueName } from '../support/auth';
import { get, patch } from '../support/http';

const ME = '/api/v1/users/me';

describe('GET /users/me', () => {
  it('returns the account with its profile inline, and an ETag', async () => {
    const { token, user, email, username } = await signUp();
    const res = await get(ME, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: user.id,
      email,
      pending_email: null,
      username,
      email_verified: false,
      is_admin: false,
      created_at: user.created_at,
      profile: {
        username,
        bio: '',
        city: '',
        avatar_url: null,
        post_count: 0,
        created_at: user.created_at,
      },
    });
    expect(res.headers.get('Vary')).toContain('Authorization');
    const etag = res.headers.get('ETag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const again = await get(ME, { token, headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('shows the avatar as an absolute URL under /api/v1/images', async () => {
    const { token, user } = await signUp();
    const key = `u/${user.id}/avatar-test.webp`;
    await env.DB.batch([
      env.DB.prepare(
        "insert into images (key, owner_id, purpose, content_type, size, width, height) values (?, ?, 'avatar', 'image/webp', 10, 1, 1)",
      ).bind(key, user.id),
      env.DB.prepare('update profiles set avatar_key = ?, bio = ? where user_id = ?').bind(
        key,
        'hello',
        user.id,
      ),
    ]);
    const res = await get(ME, { token });
    expect(res.body.profile.avatar_url).toBe(
      `http://localhost/api/v1/images/${encodeURIComponent(key)}`,
    );
    expect(res.body.profile.bio).toBe('hello');
  });

  it('needs a bearer token', async () => {
    expectProblem(await get(ME), 401);
  });
});

describe('PATCH /users/me', () => {
  it('changes the username; the new one logs in, the old one does not exist any more', async () => {
    const { token, username, password } = await signUp();
    const renamed = uniqueName('r');
    const res = await patch(ME, { username: renamed }, { token });
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(renamed);
    expect(res.body.profile.username).toBe(renamed);
    await expect(login(renamed, password)).resolves.toBeTruthy();
    await expect(login(username, password)).rejects.toThrow(/401/);
  });

  it('lets an account re-case its own username', async () => {
    const { token, username } = await signUp();
    const res = await patch(ME, { username: username.toUpperCase() }, { token });
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(username.toUpperCase());
  });

  it('answers 409 for a username or email taken in another letter case', async () => {
    const taken = await registerUser();
    const { token, password } = await signUp();
    const byName = await patch(ME, { username: taken.username.toUpperCase() }, { token });
    expectProblem(byName, 409, 'username_taken');
    expect(byName.body.errors[0].path).toBe('/body/username');
    const byEmail = await patch(
      ME,
      { email: taken.email.toUpperCase(), current_password: password },
      { token },
    );
    expectProblem(byEmail, 409, 'email_taken');
  });

  it('keeps a re-cased email verified and sends nothing', async () => {
    const { token, user, email } = await signUp();
    await markEmailVerified(user.id);
    const res = await patch(ME, { email: email.toUpperCase() }, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: email.toUpperCase(), email_verified: true });
    const { count } = (await env.DB.prepare(
      'select count(*) as count from one_time_tokens where user_id = ?',
    )
      .bind(user.id)
      .first<{ count: number }>()) ?? { count: -1 };
    expect(count).toBe(1);
  });

  it.each([
    ['an empty body', {}],
    ['a server-owned field', { is_admin: true }],
    ['an invalid username', { username: 'no spaces allowed' }],
    ['an invalid email', { email: 'nope' }],
  ])('answers 422 for %s', async (_, body) => {
    const { token } = await signUp();
    expectProblem(await patch(ME, body, { token }), 422, 'validation_failed');
  });

  it('honours If-Match: a stale ETag is 412 and changes nothing, the current one works', async () => {
    const { token, username } = await signUp();
    const etag = (await get(ME, { token })).headers.get('ETag') ?? '';
    const stale = await patch(
      ME,
      { username: uniqueName() },
      { token, headers: { 'If-Match': '"0000000000000000000000000000000000000000"' } },
    );
    expectProblem(stale, 412);
    expect((await get(ME, { token })).body.username).toBe(username);
    const renamed = uniqueName();
    const ok = await patch(ME, { username: renamed }, { token, headers: { 'If-Match': etag } });
    expect(ok.status).toBe(200);
    // The ETag it just used is now stale.
    expectProblem(
      await patch(ME, { username: uniqueName() }, { token, headers: { 'If-Match': etag } }),
      412,
    );
  });

  it('needs a bearer token', async () => {
    expectProblem(await patch(ME, { username: uniqueName() }), 401);
  });
});
