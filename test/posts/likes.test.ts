import { beforeAll, describe, expect, it } from 'vitest';
import { del, get, put } from '../support/http';
import { createUser, type DirectUser, dbValue, likeCountOf, writePost } from './fixtures';

let author: DirectUser;
let reader: DirectUser;

beforeAll(async () => {
  author = await createUser();
  reader = await createUser();
});

const likesOf = (postId: string) =>
  dbValue<number>('select count(*) from likes where post_id = ?', postId);

describe('PUT and DELETE /posts/{id}/like', () => {
  it('likes once however often it is sent, and unlikes once', async () => {
    const { id } = await writePost(author);
    const first = await put(`/api/v1/posts/${id}/like`, undefined, { token: reader.token });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ like_count: 1, liked_by_me: true });
    const second = await put(`/api/v1/posts/${id}/like`, undefined, { token: reader.token });
    expect(second.body).toEqual({ like_count: 1, liked_by_me: true });
    expect(await likesOf(id)).toBe(1);
    expect(await likeCountOf(id)).toBe(1);

    const unliked = await del(`/api/v1/posts/${id}/like`, { token: reader.token });
    expect(unliked.status).toBe(200);
    expect(unliked.body).toEqual({ like_count: 0, liked_by_me: false });
    const again = await del(`/api/v1/posts/${id}/like`, { token: reader.token });
    expect(again.body).toEqual({ like_count: 0, liked_by_me: false });
    expect(await likesOf(id)).toBe(0);
    expect(await likeCountOf(id)).toBe(0);
  });

  it('ends at exactly 20 when 20 users like at once, and at 0 when they all unlike at once', async () => {
    const { id } = await writePost(author);
    const likers = await Promise.all(Array.from({ length: 20 }, () => createUser()));
    const liked = await Promise.all(
      likers.map((u) => put(`/api/v1/posts/${id}/like`, undefined, { token: u.token })),
    );
    expect(liked.every((r) => r.status === 200)).toBe(true);
    expect(Math.max(...liked.map((r) => r.body.like_count))).toBe(20);
    expect(await likeCountOf(id)).toBe(20);
    expect(await likesOf(id)).toBe(20);
    // Everyone twice more, concurrently: nothing changes.
    await Promise.all(
      [...likers, ...likers].map((u) =>
        put(`/api/v1/posts/${id}/like`, undefined, { token: u.token }),
      ),
    );
    expect(await likeCountOf(id)).toBe(20);
    await Promise.all(
      [...likers, ...likers].map((u) => del(`/api/v1/posts/${id}/like`, { token: u.token })),
    );
    expect(await likeCountOf(id)).toBe(0);
    expect(await likesOf(id)).toBe(0);
  });

  it('answers 404 for an unknown post and writes no like row', async () => {
    const missing = '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11';
    expect(
      (await put(`/api/v1/posts/${missing}/like`, undefined, { token: reader.token })).status,
    ).toBe(404);
    expect((await del(`/api/v1/posts/${missing}/like`, { token: reader.token })).status).toBe(404);
    expect(await likesOf(missing)).toBe(0);
  });

  it('needs a bearer token (401)', async () => {
    const { id } = await writePost(author);
    expect((await put(`/api/v1/posts/${id}/like`)).status).toBe(401);
    expect((await del(`/api/v1/posts/${id}/like`)).status).toBe(401);
  });

  it("changes the post's ETag, so a cached copy is revalidated (200, not 304)", async () => {
    const { id } = await writePost(author);
    const before = await get(`/api/v1/posts/${id}`, { token: reader.token });
    const etag = before.headers.get('ETag') ?? '';
    expect(
      (
        await get(`/api/v1/posts/${id}`, {
          token: reader.token,
          headers: { 'If-None-Match': etag },
        })
      ).status,
    ).toBe(304);
    await put(`/api/v1/posts/${id}/like`, undefined, { token: reader.token });
    const after = await get(`/api/v1/posts/${id}`, {
      token: reader.token,
      headers: { 'If-None-Match': etag },
    });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ like_count: 1, liked_by_me: true });
    // The list's ETag moves too.
    const list = await get('/api/v1/posts?limit=5', { token: reader.token });
    await del(`/api/v1/posts/${id}/like`, { token: reader.token });
    const relist = await get('/api/v1/posts?limit=5', {
      token: reader.token,
      headers: { 'If-None-Match': list.headers.get('ETag') ?? '' },
    });
    expect(relist.status).toBe(200);
  });
});

describe('GET /posts/{id}/likes', () => {
  it('lists likers newest first with paging, and is public', async () => {
    const { id } = await writePost(author);
    const likers: DirectUser[] = [];
    for (let i = 0; i < 5; i++) {
      const u = await createUser();
      likers.push(u);
      await put(`/api/v1/posts/${id}/like`, undefined, { token: u.token });
    }
    const seen: string[] = [];
    const times: number[] = [];
    let url: string | null = `/api/v1/posts/${id}/likes?limit=2`;
    while (url) {
      const page: { status: number; headers: Headers; body: any } = await get(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('ETag')).toBeTruthy();
      for (const item of page.body.items) {
        expect(item).toEqual({
          username: expect.any(String),
          avatar_url: null,
          liked_at: expect.any(String),
        });
        seen.push(item.username);
        times.push(Date.parse(item.liked_at));
      }
      const link = page.headers.get('Link');
      url = page.body.next_cursor ? (link?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null) : null;
      if (page.body.next_cursor) expect(url).toContain(encodeURIComponent(page.body.next_cursor));
    }
    expect([...seen].sort()).toEqual(likers.map((u) => u.username).sort());
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it('answers 404 for an unknown post and an empty page for a post nobody likes', async () => {
    expect((await get('/api/v1/posts/01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11/likes')).status).toBe(
      404,
    );
    const { id } = await writePost(author);
    const empty = await get(`/api/v1/posts/${id}/likes`);
    expect(empty.body).toEqual({ items: [], next_cursor: null });
    expect(empty.headers.get('Link')).toBeNull();
  });

  it("refuses a cursor from another post's likes (400)", async () => {
    const a = await writePost(author);
    const b = await writePost(author);
    for (const u of [reader, author]) {
      await put(`/api/v1/posts/${a.id}/like`, undefined, { token: u.token });
    }
    const page = await get(`/api/v1/posts/${a.id}/likes?limit=1`);
    expect(page.body.next_cursor).toBeTruthy();
    const foreign = await get(
      `/api/v1/posts/${b.id}/likes?cursor=${encodeURIComponent(page.body.next_cursor)}`,
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('invalid_cursor');
  });
});
