import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { etagOf } from '../../src/lib/etag';
import { createUser, type DirectUser } from '../support/direct-users';
import { del, get, patch, post } from '../support/http';

let me: DirectUser;

/** Makes an avatar image row (with a thumbnail when given) the user's avatar; returns its key. */
async function setAvatar(user: DirectUser, thumbnailSuffix: string | null) {
  const key = `u/${user.id}/avatar.webp`;
  const thumbnailKey = thumbnailSuffix && `${key}.${thumbnailSuffix}`;
  await env.DB.batch([
    env.DB.prepare(
      `insert into images (key, owner_id, purpose, content_type, size, width, height, thumbnail_key) values (?, ?, 'avatar', 'image/webp', 10, 64, 64, ?)`,
    ).bind(key, user.id, thumbnailKey),
    env.DB.prepare('update profiles set avatar_key = ? where user_id = ?').bind(key, user.id),
  ]);
  return key;
}

beforeAll(async () => {
  me = await createUser();
});

describe('GET /profiles/{username}', () => {
  it('is public and has the contract shape, matching the username case-insensitively', async () => {
    const res = await get(`/api/v1/profiles/${me.username.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      username: me.username,
      bio: '',
      city: '',
      avatar_url: null,
      avatar_thumbnail_url: null,
      post_count: 0,
      created_at: expect.any(String),
    });
    expect(res.headers.get('ETag')).toBe(await etagOf(res.body));
    const cached = await get(`/api/v1/profiles/${me.username}`, {
      headers: { 'If-None-Match': res.headers.get('ETag') ?? '' },
    });
    expect(cached.status).toBe(304);
  });

  it('shows the avatar as an absolute image URL', async () => {
    const user = await createUser();
    const key = await setAvatar(user, null);
    const res = await get(`/api/v1/profiles/${user.username}`);
    expect(res.body.avatar_url).toBe(`http://localhost/api/v1/images/${encodeURIComponent(key)}`);
    expect(res.body.avatar_thumbnail_url).toBeNull();
    const s = await post('/api/v1/statuses', { content: 'with avatar' }, { token: user.token });
    expect(s.body.author.avatar_url).toBe(res.body.avatar_url);
  });

  it('counts posts: post_count follows creates and deletes', async () => {
    const writer = await createUser();
    const a = await post('/api/v1/posts', { body: 'one' }, { token: writer.token });
    await post('/api/v1/posts', { body: 'two' }, { token: writer.token });
    expect((await get(`/api/v1/profiles/${writer.username}`)).body.post_count).toBe(2);
    await del(`/api/v1/posts/${a.body.id}`, { token: writer.token });
    expect((await get(`/api/v1/profiles/${writer.username}`)).body.post_count).toBe(1);
  });

  it('answers an unknown username with 404', async () => {
    const res = await get('/api/v1/profiles/nobody_here_at_all');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('profile_not_found');
  });
});

describe('GET /profiles/me', () => {
  it("returns the caller's own profile, as GET /profiles/{username} does, with its ETag", async () => {
    const user = await createUser();
    await patch('/api/v1/profiles/me', { bio: 'mine' }, { token: user.token });
    const mine = await get('/api/v1/profiles/me', { token: user.token });
    expect(mine.status).toBe(200);
    const byName = await get(`/api/v1/profiles/${user.username}`);
    expect(mine.body).toEqual(byName.body);
    expect(mine.body.bio).toBe('mine');
    expect(mine.headers.get('ETag')).toBe(byName.headers.get('ETag'));
  });

  it('refuses anonymous callers (401)', async () => {
    const res = await get('/api/v1/profiles/me');
    expect(res.status).toBe(401);
  });

  it('carries the avatar thumbnail once it is made', async () => {
    const user = await createUser();
    const key = await setAvatar(user, 'thumb.webp');
    const res = await get('/api/v1/profiles/me', { token: user.token });
    expect(res.body.avatar_thumbnail_url).toBe(
      `http://localhost/api/v1/images/${encodeURIComponent(key)}?variant=thumbnail`,
    );
  });
});

describe('GET /profiles', () => {
  it('searches by username prefix, case-insensitively, newest account first, with paging', async () => {
    const prefix = `pfx${crypto.randomUUID().slice(0, 6)}`;
    const made: DirectUser[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(await createUser({ username: `${prefix}_${i}`, createdAt: Date.now() + i }));
    }
    await createUser({ username: `x${prefix}` }); // contains the text, does not start with it
    const seen: string[] = [];
    let url: string | null = `/api/v1/profiles?q=${prefix.toUpperCase()}&limit=2`;
    while (url) {
      const page: { status: number; headers: Headers; body: any } = await get(url);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((p: { username: string }) => p.username));
      url = page.headers.get('Link')?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null;
    }
    expect(seen).toEqual(made.map((u) => u.username).reverse());
  });

  it('treats LIKE wildcards in q as plain text', async () => {
    const res = await get('/api/v1/profiles?q=%25');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    // No test user's name starts with "_": a LIKE-based search would match everyone.
    expect((await get('/api/v1/profiles?q=_')).body.items).toEqual([]);
  });

  it('lists everyone without q, and refuses bad paging input', async () => {
    const res = await get('/api/v1/profiles?limit=1');
    expect(res.body.items).toHaveLength(1);
    expect(res.body.next_cursor).toBeTruthy();
    expect((await get('/api/v1/profiles?cursor=abc.def')).status).toBe(400);
    expect((await get('/api/v1/profiles?limit=0')).status).toBe(422);
    expect((await get(`/api/v1/profiles?q=${'a'.repeat(31)}`)).status).toBe(422);
  });
});

describe('PATCH /profiles/me', () => {
  it('sets bio and city, stored as given', async () => {
    const user = await createUser();
    const res = await patch(
      '/api/v1/profiles/me',
      { bio: '<i>hi</i> & bye', city: 'Porto' },
      { token: user.token },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      username: user.username,
      bio: '<i>hi</i> & bye',
      city: 'Porto',
    });
    const partial = await patch('/api/v1/profiles/me', { city: '' }, { token: user.token });
    expect(partial.body).toMatchObject({ bio: '<i>hi</i> & bye', city: '' });
    expect((await get(`/api/v1/profiles/${user.username}`)).body).toEqual(partial.body);
  });

  it('refuses anonymous callers (401)', async () => {
    expect((await patch('/api/v1/profiles/me', { bio: 'x' })).status).toBe(401);
  });

  it.each([
    ['bio over 240', { bio: 'x'.repeat(241) }],
    ['city over 30', { city: 'x'.repeat(31) }],
    ['server-owned post_count', { post_count: 1000 }],
    ['server-owned username', { username: 'someone_else' }],
    ['server-owned avatar_url', { avatar_url: 'https://evil.example/a.png' }],
    ['a number', { bio: 5 }],
  ])('refuses %s with 422 and changes nothing', async (_name, json) => {
    const user = await createUser();
    const before = await get(`/api/v1/profiles/${user.username}`);
    const res = await patch('/api/v1/profiles/me', json, { token: user.token });
    expect(res.status).toBe(422);
    expect((await get(`/api/v1/profiles/${user.username}`)).body).toEqual(before.body);
  });

  it('honours If-Match: the current ETag works, a stale one is 412 and changes nothing', async () => {
    const user = await createUser();
    const etag = (await get(`/api/v1/profiles/${user.username}`)).headers.get('ETag') ?? '';
    const ok = await patch(
      '/api/v1/profiles/me',
      { bio: 'first' },
      { token: user.token, headers: { 'If-Match': etag } },
    );
    expect(ok.status).toBe(200);
    const stale = await patch(
      '/api/v1/profiles/me',
      { bio: 'second' },
      { token: user.token, headers: { 'If-Match': etag } },
    );
    expect(stale.status).toBe(412);
    expect((await get(`/api/v1/profiles/${user.username}`)).body.bio).toBe('first');
    const weak = await patch(
      '/api/v1/profiles/me',
      { bio: 'third' },
      {
        token: user.token,
        headers: {
          'If-Match': `W/${(await get(`/api/v1/profiles/${user.username}`)).headers.get('ETag')}`,
        },
      },
    );
    expect(weak.status).toBe(412);
  });
});
