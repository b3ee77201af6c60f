import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { etagOf } from '../../src/lib/etag';
import { del, get, patch, post, put } from '../support/http';
import { createUser, type DirectUser, dbValue, postCountOf, writePost } from './fixtures';

let owner: DirectUser;
let other: DirectUser;
let admin: DirectUser;

beforeAll(async () => {
  owner = await createUser();
  other = await createUser();
  admin = await createUser({ admin: true });
});

describe('POST /posts', () => {
  it('creates a post: 201, Location, the contract shape, post_count + 1', async () => {
    const before = await postCountOf(owner.id);
    const res = await post(
      '/api/v1/posts',
      { body: 'Hello <b>edge</b> & "friends"' },
      { token: owner.token },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('Location')).toBe(`http://localhost/api/v1/posts/${res.body.id}`);
    expect(res.body).toMatchObject({
      body: 'Hello <b>edge</b> & "friends"', // stored and returned as given
      image: null,
      author: { username: owner.username, avatar_url: null },
      like_count: 0,
      liked_by_me: false,
    });
    expect(res.body.created_at).toBe(res.body.updated_at);
    expect(await postCountOf(owner.id)).toBe((before ?? 0) + 1);
    const got = await get(res.headers.get('Location') ?? '');
    expect(got.body).toEqual(res.body);
  });

  it('refuses anonymous callers with 401 and a bad token with 401', async () => {
    const anon = await post('/api/v1/posts', { body: 'x' });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('WWW-Authenticate')).toContain('Bearer');
    const bad = await post('/api/v1/posts', { body: 'x' }, { token: 'not.a.jwt' });
    expect(bad.status).toBe(401);
  });

  it.each([
    ['server-owned id', { body: 'x', id: '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11' }],
    ['server-owned like_count', { body: 'x', like_count: 1000 }],
    ['server-owned author', { body: 'x', author: { username: 'alice' } }],
    ['server-owned created_at', { body: 'x', created_at: '2020-01-01T00:00:00Z' }],
    ['unknown field', { body: 'x', user_id: 'someone' }],
  ])('refuses a %s with 422 and creates nothing', async (_name, json) => {
    const before = await postCountOf(owner.id);
    const res = await post('/api/v1/posts', json, { token: owner.token });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_failed');
    const field = Object.keys(json).find((k) => k !== 'body');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(`/body/${field}`);
    expect(await postCountOf(owner.id)).toBe(before);
  });

  it.each([
    ['an empty body', { body: '' }, '/body/body'],
    ['white space only', { body: '   \n ' }, '/body/body'],
    ['5001 characters', { body: 'x'.repeat(5001) }, '/body/body'],
    ['a number', { body: 42 }, '/body/body'],
    ['no body field', {}, '/body/body'],
  ])('refuses %s with 422 naming the field', async (_name, json, path) => {
    const res = await post('/api/v1/posts', json, { token: owner.token });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('counts characters, not UTF-16 units: 5000 emoji are accepted', async () => {
    const res = await post('/api/v1/posts', { body: '😀'.repeat(5000) }, { token: owner.token });
    expect(res.status).toBe(201);
  });

  it('answers malformed JSON with 400 and a non-JSON type with 415', async () => {
    const malformed = await post('/api/v1/posts', undefined, {
      token: owner.token,
      headers: { 'Content-Type': 'application/json' },
      body: '{"body": ',
    });
    expect(malformed.status).toBe(400);
    const text = await post('/api/v1/posts', undefined, {
      token: owner.token,
      headers: { 'Content-Type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
  });
});

describe('GET /posts/{id}', () => {
  it('is public, sends an ETag and Vary: Authorization, and answers If-None-Match with 304', async () => {
    const created = await writePost(owner);
    const first = await get(`/api/v1/posts/${created.id}`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('ETag');
    expect(etag).toBe(await etagOf(first.body));
    expect(first.headers.get('Vary')).toContain('Authorization');
    const again = await get(`/api/v1/posts/${created.id}`, {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('ETag')).toBe(etag);
  });

  it('shows liked_by_me to the liker only, with a different ETag', async () => {
    const created = await writePost(owner);
    await put(`/api/v1/posts/${created.id}/like`, undefined, { token: other.token });
    const asLiker = await get(`/api/v1/posts/${created.id}`, { token: other.token });
    const asAnon = await get(`/api/v1/posts/${created.id}`);
    expect(asLiker.body.liked_by_me).toBe(true);
    expect(asAnon.body.liked_by_me).toBe(false);
    expect(asLiker.body.like_count).toBe(1);
    expect(asLiker.headers.get('ETag')).not.toBe(asAnon.headers.get('ETag'));
  });

  it('answers an unknown id with 404 problem', async () => {
    const res = await get('/api/v1/posts/01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('post_not_found');
  });

  it('renders an image row as absolute URLs, thumbnail null until made', async () => {
    const created = await writePost(owner);
    const key = `u/${owner.id}/${crypto.randomUUID()}.png`;
    await env.DB.batch([
      env.DB.prepare(
        `insert into images (key, owner_id, purpose, content_type, size, width, height) values (?, ?, 'post', 'image/png', 10, 640, 480)`,
      ).bind(key, owner.id),
      env.DB.prepare('update posts set image_key = ? where id = ?').bind(key, created.id),
    ]);
    const before = await get(`/api/v1/posts/${created.id}`);
    expect(before.body.image).toEqual({
      url: `http://localhost/api/v1/images/${encodeURIComponent(key)}`,
      thumbnail_url: null,
      width: 640,
      height: 480,
      content_type: 'image/png',
    });
    await env.DB.prepare('update images set thumbnail_key = ? where key = ?')
      .bind(`${key}.thumb.webp`, key)
      .run();
    const after = await get(`/api/v1/posts/${created.id}`);
    expect(after.body.image.thumbnail_url).toBe(
      `http://localhost/api/v1/images/${encodeURIComponent(key)}?variant=thumbnail`,
    );
  });
});

describe('PATCH /posts/{id}', () => {
  it('lets the owner edit: new body, later updated_at, same created_at', async () => {
    const created = await writePost(owner, 'first');
    const res = await patch(
      `/api/v1/posts/${created.id}`,
      { body: 'second' },
      { token: owner.token },
    );
    expect(res.status).toBe(200);
    expect(res.body.body).toBe('second');
    expect(res.body.created_at).toBe(created.created_at);
    expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(created.created_at));
  });

  it('lets an admin edit, refuses another user (403) and anonymous (401)', async () => {
    const created = await writePost(owner, 'original');
    const byOther = await patch(
      `/api/v1/posts/${created.id}`,
      { body: 'hijack' },
      { token: other.token },
    );
    expect(byOther.status).toBe(403);
    expect(byOther.body.code).toBe('not_owner');
    const byAnon = await patch(`/api/v1/posts/${created.id}`, { body: 'hijack' });
    expect(byAnon.status).toBe(401);
    expect((await get(`/api/v1/posts/${created.id}`)).body.body).toBe('original');
    const byAdmin = await patch(
      `/api/v1/posts/${created.id}`,
      { body: 'moderated' },
      { token: admin.token },
    );
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.body).toBe('moderated');
    expect(byAdmin.body.author.username).toBe(owner.username);
  });

  it('refuses server-owned fields (422) and changes nothing', async () => {
    const created = await writePost(owner, 'keep');
    for (const extra of [
      { like_count: 99 },
      { author: { username: other.username } },
      { id: 'x' },
    ]) {
      const res = await patch(
        `/api/v1/posts/${created.id}`,
        { body: 'changed', ...extra },
        { token: owner.token },
      );
      expect(res.status).toBe(422);
    }
    const now = await get(`/api/v1/posts/${created.id}`);
    expect(now.body).toMatchObject({ body: 'keep', like_count: 0 });
  });

  it('honours If-Match: the current ETag succeeds, a stale one is 412 and changes nothing', async () => {
    const created = await writePost(owner, 'v1');
    const read = await get(`/api/v1/posts/${created.id}`, { token: owner.token });
    const etag = read.headers.get('ETag') ?? '';
    const ok = await patch(
      `/api/v1/posts/${created.id}`,
      { body: 'v2' },
      { token: owner.token, headers: { 'If-Match': etag } },
    );
    expect(ok.status).toBe(200);
    const stale = await patch(
      `/api/v1/posts/${created.id}`,
      { body: 'v3' },
      { token: owner.token, headers: { 'If-Match': etag } },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('etag_mismatch');
    expect((await get(`/api/v1/posts/${created.id}`)).body.body).toBe('v2');
    const star = await patch(
      `/api/v1/posts/${created.id}`,
      { body: 'v4' },
      { token: owner.token, headers: { 'If-Match': '*' } },
    );
    expect(star.status).toBe(200);
  });

  it('treats a like since the read as a change (the ETag covers like_count)', async () => {
    const created = await writePost(owner, 'likeable');
    const etag =
      (await get(`/api/v1/posts/${created.id}`, { token: owner.token })).headers.get('ETag') ?? '';
    await put(`/api/v1/posts/${created.id}/like`, undefined, { token: other.token });
    const res = await patch(
      `/api/v1/posts/${created.id}`,
      { body: 'edited' },
      { token: owner.token, headers: { 'If-Match': etag } },
    );
    expect(res.status).toBe(412);
  });

  it('answers 404 for an unknown post', async () => {
    const res = await patch('/api/v1/posts/nope', { body: 'x' }, { token: owner.token });
    expect(res.status).toBe(404);
  });
});

describe('DELETE /posts/{id}', () => {
  it('refuses another user (403) and anonymous (401); the owner deletes (204, then 404)', async () => {
    const created = await writePost(owner);
    expect((await del(`/api/v1/posts/${created.id}`, { token: other.token })).status).toBe(403);
    expect((await del(`/api/v1/posts/${created.id}`)).status).toBe(401);
    const ok = await del(`/api/v1/posts/${created.id}`, { token: owner.token });
    expect(ok.status).toBe(204);
    expect((await get(`/api/v1/posts/${created.id}`)).status).toBe(404);
    expect((await del(`/api/v1/posts/${created.id}`, { token: owner.token })).status).toBe(404);
  });

  it("lets an admin delete, decrementing the author's post_count (not the admin's)", async () => {
    const created = await writePost(owner);
    const ownerBefore = await postCountOf(owner.id);
    const adminBefore = await postCountOf(admin.id);
    expect((await del(`/api/v1/posts/${created.id}`, { token: admin.token })).status).toBe(204);
    expect(await postCountOf(owner.id)).toBe((ownerBefore ?? 0) - 1);
    expect(await postCountOf(admin.id)).toBe(adminBefore);
  });

  it('honours If-Match: stale is 412 and the post, its likes and counts stay', async () => {
    const created = await writePost(owner);
    const etag =
      (await get(`/api/v1/posts/${created.id}`, { token: owner.token })).headers.get('ETag') ?? '';
    await put(`/api/v1/posts/${created.id}/like`, undefined, { token: other.token });
    const before = await postCountOf(owner.id);
    const stale = await del(`/api/v1/posts/${created.id}`, {
      token: owner.token,
      headers: { 'If-Match': etag },
    });
    expect(stale.status).toBe(412);
    expect(await postCountOf(owner.id)).toBe(before);
    expect(await dbValue('select count(*) from likes where post_id = ?', created.id)).toBe(1);
    const fresh =
      (await get(`/api/v1/posts/${created.id}`, { token: owner.token })).headers.get('ETag') ?? '';
    expect(
      (
        await del(`/api/v1/posts/${created.id}`, {
          token: owner.token,
          headers: { 'If-Match': fresh },
        })
      ).status,
    ).toBe(204);
  });
});
