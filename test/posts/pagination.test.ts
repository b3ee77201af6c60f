import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/env';
import { decodeCursor, encodeCursor } from '../../src/lib/pagination';
import { get, put } from '../support/http';
import { createUser, type DirectUser, writePost } from './fixtures';

let walker: DirectUser;
let fan: DirectUser;
let written: string[] = [];

const secret = () => readConfig(env).JWT_SECRET;
const nextLink = (headers: Headers) =>
  headers.get('Link')?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null;

beforeAll(async () => {
  walker = await createUser();
  fan = await createUser();
  written = [];
  for (let i = 0; i < 25; i++) written.push((await writePost(walker, `walk ${i}`)).id);
});

describe('GET /posts pagination', () => {
  it('walks 25 posts 10 at a time with no duplicate and none missing, despite a concurrent insert', async () => {
    const seen: string[] = [];
    let url: string | null = `/api/v1/posts?author=${walker.username}&limit=10`;
    let pages = 0;
    let inserted: string | null = null;
    while (url) {
      const page: { status: number; headers: Headers; body: any } = await get(url);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((p: { id: string }) => p.id));
      pages++;
      // A new post lands between page 1 and page 2: it is newer than the walk's position.
      if (pages === 1) inserted = (await writePost(walker, 'during the walk')).id;
      const link = nextLink(page.headers);
      expect(link === null).toBe(page.body.next_cursor === null);
      url = link;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(25);
    expect(new Set(seen)).toEqual(new Set(written));
    expect(seen).not.toContain(inserted);
  });

  it('is newest first by (created_at, id)', async () => {
    const page = await get(`/api/v1/posts?author=${walker.username}&limit=100`);
    const keys = page.body.items.map((p: { created_at: string; id: string }) => [
      Date.parse(p.created_at),
      p.id,
    ]);
    const sorted = [...keys].sort(
      (a, b) => b[0] - a[0] || (b[1] < a[1] ? -1 : b[1] > a[1] ? 1 : 0),
    );
    expect(keys).toEqual(sorted);
  });

  it('defaults to 20 items, accepts 1..100 and refuses other limits with 422', async () => {
    const page = await get(`/api/v1/posts?author=${walker.username}`);
    expect(page.body.items).toHaveLength(20);
    expect((await get('/api/v1/posts?limit=1')).body.items).toHaveLength(1);
    for (const bad of ['0', '101', 'abc', '2.5', '-1']) {
      const res = await get(`/api/v1/posts?limit=${bad}`);
      expect(res.status, bad).toBe(422);
      expect(res.body.errors[0].path).toBe('/query/limit');
    }
  });

  it('keeps the filters in the Link header', async () => {
    const page = await get(`/api/v1/posts?author=${walker.username}&limit=5`);
    const link = new URL(nextLink(page.headers) ?? '');
    expect(link.searchParams.get('author')).toBe(walker.username);
    expect(link.searchParams.get('limit')).toBe('5');
    expect(link.searchParams.get('cursor')).toBe(page.body.next_cursor);
  });

  it('refuses garbled, forged and foreign cursors with 400', async () => {
    const page = await get(`/api/v1/posts?author=${walker.username}&limit=5`);
    const good: string = page.body.next_cursor;
    const [payload, mac] = good.split('.');
    const forgedPayload = btoa(JSON.stringify([1, Date.now() + 1e9, 'zzzz']))
      .replaceAll('=', '')
      .replaceAll('+', '-')
      .replaceAll('/', '_');
    const flipped = `${payload}.${mac?.startsWith('A') ? 'B' : 'A'}${mac?.slice(1)}`;
    const cases = ['garbage', `${forgedPayload}.${mac}`, flipped, `${payload}`, `${good}.x`, '...'];
    for (const cursor of cases) {
      const res = await get(
        `/api/v1/posts?author=${walker.username}&cursor=${encodeURIComponent(cursor)}`,
      );
      expect(res.status, cursor).toBe(400);
      expect(res.body.code).toBe('invalid_cursor');
    }
    // A cursor for another list (other filter) is refused too.
    const foreign = await get(`/api/v1/posts?cursor=${encodeURIComponent(good)}`);
    expect(foreign.status).toBe(400);
    const statuses = await get(`/api/v1/statuses?cursor=${encodeURIComponent(good)}`);
    expect(statuses.status).toBe(400);
  });

  it('signs cursors so only this server can make them', async () => {
    const position = { at: 1_764_000_000_000, id: 'abc' };
    const cursor = await encodeCursor(secret(), '["posts",null,null]', position);
    expect(await decodeCursor(secret(), '["posts",null,null]', cursor)).toEqual(position);
    await expect(
      decodeCursor('another-secret-of-at-least-32-characters!!', '["posts",null,null]', cursor),
    ).rejects.toMatchObject({ status: 400 });
    await expect(decodeCursor(secret(), '["posts",null,"x"]', cursor)).rejects.toMatchObject({
      status: 400,
    });
  });
});

describe('GET /posts filters', () => {
  it('?author= matches case-insensitively; an unknown author is an empty list', async () => {
    const upper = await get(`/api/v1/posts?author=${walker.username.toUpperCase()}&limit=3`);
    expect(upper.body.items).toHaveLength(3);
    expect(upper.body.items.every((p: any) => p.author.username === walker.username)).toBe(true);
    const none = await get('/api/v1/posts?author=nobody_at_all');
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ items: [], next_cursor: null });
  });

  it('?liked_by= lists what a user likes, most recently liked first, paging by like time', async () => {
    const liked = [written[3], written[0], written[7]] as string[];
    for (const id of liked) await put(`/api/v1/posts/${id}/like`, undefined, { token: fan.token });
    const first = await get(`/api/v1/posts?liked_by=${fan.username}&limit=2`, { token: fan.token });
    expect(first.status).toBe(200);
    expect(first.body.items.every((p: any) => p.liked_by_me === true)).toBe(true);
    const second = await get(nextLink(first.headers) ?? '', { token: fan.token });
    const ids = [...first.body.items, ...second.body.items].map((p: { id: string }) => p.id);
    expect(new Set(ids)).toEqual(new Set(liked));
    expect(second.body.next_cursor).toBeNull();
    // As seen by someone else, liked_by_me is about them.
    const asWalker = await get(`/api/v1/posts?liked_by=${fan.username}`, { token: walker.token });
    expect(asWalker.body.items.every((p: any) => p.liked_by_me === false)).toBe(true);
    // Combined with author.
    const both = await get(`/api/v1/posts?liked_by=${fan.username}&author=${fan.username}`);
    expect(both.body.items).toEqual([]);
    // A liked_by cursor is not valid for the plain list.
    const foreign = await get(`/api/v1/posts?cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(foreign.status).toBe(400);
  });
});
