import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOG_PATH_MAX_CHARS, USER_SEARCH_MAX_CHARS } from '../../src/features/admin/admin.schemas';
import { login, registerUser } from '../support/auth';
import { createUser, type DirectUser } from '../support/direct-users';
import { call, get, patch, post } from '../support/http';

let admin: DirectUser;
beforeAll(async () => {
  admin = await createUser({ admin: true });
});

describe('GET /admin/users', () => {
  it('lists accounts newest first with flags and counts, in keyset pages', async () => {
    const prefix = `pg${Date.now().toString(36)}`;
    const made: DirectUser[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(await createUser({ username: `${prefix}_${i}`, createdAt: Date.now() + i }));
    }
    // Counts: user 4 has one post liked by users 0 and 1 (post_count comes from the profile).
    const postId = crypto.randomUUID();
    const u4 = made[4]!;
    await env.DB.batch([
      env.DB.prepare(
        'insert into posts (id, user_id, body, like_count, created_at, updated_at) values (?, ?, ?, 2, ?, ?)',
      ).bind(postId, u4.id, 'counted', Date.now(), Date.now()),
      env.DB.prepare('update profiles set post_count = 1 where user_id = ?').bind(u4.id),
      env.DB.prepare('insert into likes (post_id, user_id) values (?, ?)').bind(
        postId,
        made[0]!.id,
      ),
      env.DB.prepare('insert into likes (post_id, user_id) values (?, ?)').bind(
        postId,
        made[1]!.id,
      ),
    ]);

    const first = await get(`/api/v1/admin/users?q=${prefix.toUpperCase()}&limit=2`, {
      token: admin.token,
    });
    expect(first.status).toBe(200);
    expect(first.body.items.map((u: any) => u.username)).toEqual([`${prefix}_4`, `${prefix}_3`]);
    expect(first.body.items[0]).toMatchObject({
      id: u4.id,
      email: u4.email,
      is_active: true,
      is_admin: false,
      post_count: 1,
      like_count: 0,
    });
    expect(first.headers.get('Link')).toContain('rel="next"');
    expect(first.headers.get('ETag')).toBeTruthy();

    const seen = [...first.body.items];
    let cursor = first.body.next_cursor;
    while (cursor) {
      const page = await get(
        `/api/v1/admin/users?q=${prefix}&limit=2&cursor=${encodeURIComponent(cursor)}`,
        { token: admin.token },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.next_cursor;
    }
    expect(seen.map((u) => u.username)).toEqual([4, 3, 2, 1, 0].map((i) => `${prefix}_${i}`));
    expect(seen.find((u) => u.id === made[0]!.id)?.like_count).toBe(1);
  });

  it('matches an email prefix, and treats % and _ literally', async () => {
    const user = await createUser({ username: `mail${Date.now().toString(36)}` });
    const byEmail = await get(
      `/api/v1/admin/users?q=${encodeURIComponent(user.email.slice(0, 10))}`,
      {
        token: admin.token,
      },
    );
    expect(byEmail.body.items.map((u: any) => u.id)).toContain(user.id);
    const wildcard = await get('/api/v1/admin/users?q=%25', { token: admin.token });
    expect(wildcard.body.items).toEqual([]);
  });

  it('answers q and path prefixes of the documented maximum length (no 500)', async () => {
    for (const q of ['a'.repeat(USER_SEARCH_MAX_CHARS), 'é'.repeat(USER_SEARCH_MAX_CHARS)]) {
      const res = await get(`/api/v1/admin/users?q=${encodeURIComponent(q)}`, {
        token: admin.token,
      });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    }
    const path = `/${'é'.repeat(LOG_PATH_MAX_CHARS - 1)}`;
    const logs = await get(`/api/v1/admin/request-logs?path=${encodeURIComponent(path)}`, {
      token: admin.token,
    });
    expect(logs.status).toBe(200);
  });

  it('refuses a cursor from another filter with 400', async () => {
    await createUser();
    await createUser();
    const page = await get('/api/v1/admin/users?limit=1', { token: admin.token });
    const other = await get(
      `/api/v1/admin/users?q=zz&cursor=${encodeURIComponent(page.body.next_cursor)}`,
      { token: admin.token },
    );
    expect(other.status).toBe(400);
  });

  it('answers If-None-Match with 304', async () => {
    const first = await get('/api/v1/admin/users', { token: admin.token });
    const again = await get('/api/v1/admin/users', {
      token: admin.token,
      headers: { 'If-None-Match': first.headers.get('ETag') ?? '' },
    });
    expect(again.status).toBe(304);
  });
});

describe('PATCH /admin/users/{id}', () => {
  it('deactivation revokes every session, refuses the access token and blocks login at once', async () => {
    const { user, username, password } = await registerUser();
    const token = await login(username, password);
    await login(username, password); // a second session
    expect((await get('/api/v1/users/me', { token })).status).toBe(200);

    const res = await patch(
      `/api/v1/admin/users/${user.id}`,
      { is_active: false },
      { token: admin.token },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, is_active: false });
    expect(res.headers.get('ETag')).toMatch(/^"/);

    const { results } = await env.DB.prepare('select revoked_at from sessions where user_id = ?')
      .bind(user.id)
      .all<{ revoked_at: number | null }>();
    expect(results.length).toBeGreaterThanOrEqual(2);
    expect(results.every((s) => s.revoked_at !== null)).toBe(true);
    expect((await get('/api/v1/users/me', { token })).status).toBe(401);
    const again = await post('/api/v1/auth/login', { username, password });
    expect(again.status).toBe(401);

    const back = await patch(
      `/api/v1/admin/users/${user.id}`,
      { is_active: true },
      { token: admin.token },
    );
    expect(back.body.is_active).toBe(true);
    expect(typeof (await login(username, password))).toBe('string');
  });

  it('promotes to admin', async () => {
    const user = await createUser();
    const res = await patch(
      `/api/v1/admin/users/${user.id}`,
      { is_admin: true },
      { token: admin.token },
    );
    expect(res.body.is_admin).toBe(true);
    expect((await get('/api/v1/admin/stats', { token: user.token })).status).toBe(200);
  });

  it('honours If-Match: a stale ETag is 412 and changes nothing', async () => {
    const user = await createUser();
    const first = await patch(
      `/api/v1/admin/users/${user.id}`,
      { is_admin: true },
      { token: admin.token },
    );
    const etag = first.headers.get('ETag') ?? '';
    await patch(`/api/v1/admin/users/${user.id}`, { is_admin: false }, { token: admin.token });
    const stale = await patch(
      `/api/v1/admin/users/${user.id}`,
      { is_active: false },
      { token: admin.token, headers: { 'If-Match': etag } },
    );
    expect(stale.status).toBe(412);
    const row = await env.DB.prepare('select is_active from users where id = ?')
      .bind(user.id)
      .first();
    expect(row?.is_active).toBe(1);
  });

  it('refuses to deactivate or demote oneself, unknown fields, an empty body, and unknown ids', async () => {
    for (const json of [{ is_active: false }, { is_admin: false }]) {
      const self = await patch(`/api/v1/admin/users/${admin.id}`, json, { token: admin.token });
      expect(self.status).toBe(422);
      expect(self.body.code).toBe('cannot_change_self');
    }
    const user = await createUser();
    const extra = await patch(
      `/api/v1/admin/users/${user.id}`,
      { is_active: true, email: 'x@example.com' },
      { token: admin.token },
    );
    expect(extra.status).toBe(422);
    const empty = await patch(`/api/v1/admin/users/${user.id}`, {}, { token: admin.token });
    expect(empty.status).toBe(422);
    const unknown = await call('/api/v1/admin/users/nope', {
      method: 'PATCH',
      json: { is_active: false },
      token: admin.token,
    });
    expect(unknown.status).toBe(404);
  });
});
