import { beforeAll, describe, expect, it } from 'vitest';
import { publicCacheControl } from '../../src/lib/edge-cache';
import { REFRESH_COOKIE_NAME } from '../../src/lib/refresh-cookie';
import { signUp } from '../support/auth';
import { type Measured, measure } from '../support/db-cost';

/**
 * Anonymous public reads from caches.default (src/lib/edge-cache.ts). The test config turns
 * the cache off (EDGE_CACHE_SECONDS=0); every request here turns it on, unless it says 0.
 * Each request goes through createApp() with a counting D1 binding: a hit runs no statement.
 */
const SECONDS = '10';
const PUBLIC = publicCacheControl(Number(SECONDS));

type Init = NonNullable<Parameters<typeof measure>[1]>;
const send = (path: string, init: Init = {}) =>
  measure(path, { ...init, bindings: { EDGE_CACHE_SECONDS: SECONDS, ...init.bindings } });

const expectHit = (m: Measured) => {
  expect(m.status).toBe(200);
  expect(m.cost.statements).toBe(0);
};
const expectMiss = (m: Measured) => {
  expect(m.status).toBe(200);
  expect(m.cost.statements).toBeGreaterThan(0);
};

const graphql = (token: string, query: string, variables: Record<string, unknown>) =>
  send('/graphql', { method: 'POST', token, json: { query, variables } });

let author: { token: string; username: string };
let postId: string;

beforeAll(async () => {
  author = await signUp();
  const created = await send('/api/v1/posts', {
    method: 'POST',
    token: author.token,
    json: { body: 'A post to cache.' },
  });
  expect(created.status).toBe(201);
  postId = created.body.id;
});

describe('anonymous reads', () => {
  it('a miss reads D1 and is stored; the repeat is a hit with no statement, the same body and ETag', async () => {
    const path = `/api/v1/posts/${postId}`;
    const miss = await send(path);
    expectMiss(miss);
    expect(miss.headers.get('Cache-Control')).toBe(PUBLIC);
    const etag = miss.headers.get('ETag');
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);

    const hit = await send(path);
    expectHit(hit);
    expect(hit.body).toEqual(miss.body);
    expect(hit.headers.get('ETag')).toBe(etag);
    expect(hit.headers.get('Cache-Control')).toBe(PUBLIC);
    // What differs per request is the request's own, not the stored response's.
    expect(hit.headers.get('X-Request-Id')).not.toBe(miss.headers.get('X-Request-Id'));
  });

  it('answers If-None-Match with 304 from the cache too', async () => {
    const path = `/api/v1/posts?author=${author.username}`;
    const first = await send(path);
    const etag = first.headers.get('ETag')!;
    const notModified = await send(path, { headers: { 'If-None-Match': etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.cost.statements).toBe(0);
    expect(notModified.headers.get('ETag')).toBe(etag);
  });

  it('caches every public read: posts, likes, profiles, statuses', async () => {
    const status = await send('/api/v1/statuses', {
      method: 'POST',
      token: author.token,
      json: { content: 'A status to cache.' },
    });
    expect(status.status).toBe(201);
    const paths = [
      `/api/v1/posts?author=${author.username}&limit=5`,
      `/api/v1/posts/${postId}/likes`,
      `/api/v1/profiles?q=${author.username}`,
      `/api/v1/profiles/${author.username}`,
      `/api/v1/statuses?username=${author.username}`,
      `/api/v1/statuses/${status.body.id}`,
    ];
    for (const path of paths) {
      await send(path);
      const again = await send(path);
      expect(again.cost.statements, path).toBe(0);
      expect(again.status, path).toBe(200);
    }
  });

  it('/posts and /posts?limit=20 are one entry (the default limit leaves the key)', async () => {
    await send('/api/v1/posts');
    expectHit(await send('/api/v1/posts?limit=20'));
  });
});

describe('bypass', () => {
  it('a bearer token always reads D1 and its answer is never public', async () => {
    const path = `/api/v1/posts/${postId}`;
    await send(path);
    for (let i = 0; i < 2; i++) {
      const signedIn = await send(path, { token: author.token });
      expectMiss(signedIn);
      expect(signedIn.headers.get('Cache-Control') ?? '').not.toContain('public');
    }
  });

  it('a client that sends X-D1-Bookmark reads D1 (read-your-writes)', async () => {
    const path = `/api/v1/posts/${postId}`;
    await send(path);
    const bookmark = '0000007b-0000b26e-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b';
    const read = await send(path, { headers: { 'X-D1-Bookmark': bookmark } });
    expect(read.cost.statements).toBeGreaterThan(0);
    expect(read.headers.get('Cache-Control') ?? '').not.toContain('public');
  });

  it('a refresh cookie bypasses the cache; an unrelated cookie does not', async () => {
    const path = `/api/v1/profiles/${author.username}`;
    await send(path);
    expectHit(await send(path, { headers: { Cookie: 'theme=dark' } }));
    const withSession = await send(path, {
      headers: { Cookie: `theme=dark; ${REFRESH_COOKIE_NAME}=opaque` },
    });
    expectMiss(withSession);
    expect(withSession.headers.get('Cache-Control') ?? '').not.toContain('public');
  });
});

describe('writes purge what they change', () => {
  it('REST: PATCH a post refreshes the post and the first page of the lists it is on', async () => {
    const paths = [
      `/api/v1/posts/${postId}`,
      '/api/v1/posts',
      `/api/v1/posts?author=${author.username}`,
    ];
    for (const path of paths) await send(path);
    for (const path of paths) expectHit(await send(path));

    const edited = await send(`/api/v1/posts/${postId}`, {
      method: 'PATCH',
      token: author.token,
      json: { body: 'Edited over REST.' },
    });
    expect(edited.status).toBe(200);

    const post = await send(paths[0]!);
    expectMiss(post);
    expect(post.body.body).toBe('Edited over REST.');
    for (const path of paths.slice(1)) {
      const list = await send(path);
      expectMiss(list);
      expect(list.body.items.find((p: { id: string }) => p.id === postId)?.body).toBe(
        'Edited over REST.',
      );
    }
  });

  it('REST: a new post refreshes the author profile (post_count) and the first page', async () => {
    const profilePath = `/api/v1/profiles/${author.username}`;
    const before = await send(profilePath);
    expectHit(await send(profilePath));
    const created = await send('/api/v1/posts', {
      method: 'POST',
      token: author.token,
      json: { body: 'Another post.' },
    });
    expect(created.status).toBe(201);
    const after = await send(profilePath);
    expectMiss(after);
    expect(after.body.post_count).toBe(before.body.post_count + 1);
    expect((await send('/api/v1/posts')).body.items[0].id).toBe(created.body.id);
  });

  it('GraphQL: updatePost and likePost refresh the post as REST reads it', async () => {
    const path = `/api/v1/posts/${postId}`;
    const before = await send(path);
    expectHit(await send(path));

    const updated = await graphql(
      author.token,
      'mutation Edit($id: ID!, $body: String!) { updatePost(id: $id, body: $body) { id } }',
      { id: postId, body: 'Edited over GraphQL.' },
    );
    expect(updated.body.errors).toBeUndefined();
    const afterEdit = await send(path);
    expectMiss(afterEdit);
    expect(afterEdit.body.body).toBe('Edited over GraphQL.');

    const liker = await signUp();
    const liked = await graphql(
      liker.token,
      'mutation Like($id: ID!) { likePost(id: $id) { id } }',
      {
        id: postId,
      },
    );
    expect(liked.body.errors).toBeUndefined();
    const afterLike = await send(path);
    expectMiss(afterLike);
    expect(afterLike.body.like_count).toBe(before.body.like_count + 1);
    const likes = await send(`${path}/likes`);
    expect(likes.body.items.map((l: { username: string }) => l.username)).toContain(liker.username);
  });

  it('GraphQL: updateProfile refreshes the profile', async () => {
    const path = `/api/v1/profiles/${author.username}`;
    await send(path);
    expectHit(await send(path));
    const updated = await graphql(
      author.token,
      'mutation Bio($bio: String) { updateProfile(bio: $bio) { profile { bio } } }',
      { bio: 'Cached, then purged.' },
    );
    expect(updated.body.errors).toBeUndefined();
    const after = await send(path);
    expectMiss(after);
    expect(after.body.bio).toBe('Cached, then purged.');
  });
});

describe('EDGE_CACHE_SECONDS=0', () => {
  it('stores nothing, serves nothing from the cache and sends no public header', async () => {
    const path = `/api/v1/posts/${postId}`;
    await send(path);
    expectHit(await send(path));
    for (let i = 0; i < 2; i++) {
      const off = await send(path, { bindings: { EDGE_CACHE_SECONDS: '0' } });
      expectMiss(off);
      expect(off.headers.get('Cache-Control') ?? '').not.toContain('public');
    }
    const fresh = `/api/v1/posts?author=${author.username}&limit=3`;
    await send(fresh, { bindings: { EDGE_CACHE_SECONDS: '0' } });
    expectMiss(await send(fresh));
  });
});
