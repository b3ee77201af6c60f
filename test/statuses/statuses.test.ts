import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { etagOf } from '../../src/lib/etag';
import { createUser, type DirectUser } from '../support/direct-users';
import { del, get, patch, post } from '../support/http';

let owner: DirectUser;
let other: DirectUser;
let admin: DirectUser;

beforeAll(async () => {
  owner = await createUser();
  other = await createUser();
  admin = await createUser({ admin: true });
});

async function writeStatus(who: DirectUser, content = `status ${crypto.randomUUID()}`) {
  const res = await post('/api/v1/statuses', { content }, { token: who.token });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; content: string; created_at: string; updated_at: string };
}

const countWithContent = async (content: string) =>
  (
    await env.DB.prepare('select count(*) as n from statuses where content = ?')
      .bind(content)
      .first<{ n: number }>()
  )?.n;

describe('POST /statuses', () => {
  it('creates a status: 201, Location, contract shape', async () => {
    const res = await post(
      '/api/v1/statuses',
      { content: 'Shipping <today>' },
      { token: owner.token },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('Location')).toBe(`http://localhost/api/v1/statuses/${res.body.id}`);
    expect(res.body).toEqual({
      id: expect.any(String),
      content: 'Shipping <today>',
      author: { username: owner.username, avatar_url: null },
      created_at: expect.any(String),
      updated_at: res.body.created_at,
    });
    const got = await get(`/api/v1/statuses/${res.body.id}`);
    expect(got.body).toEqual(res.body);
  });

  it('refuses anonymous callers (401)', async () => {
    expect((await post('/api/v1/statuses', { content: 'x' })).status).toBe(401);
  });

  it.each([
    ['empty', { content: '' }],
    ['241 characters', { content: 'x'.repeat(241) }],
    ['blank', { content: '  ' }],
    ['missing', {}],
    ['server-owned id', { content: 'x', id: 'mine' }],
    ['server-owned author', { content: 'x', author: { username: 'alice' } }],
    ['server-owned created_at', { content: 'x', created_at: '2020-01-01T00:00:00Z' }],
  ])('refuses %s with 422', async (_name, json) => {
    const res = await post('/api/v1/statuses', json, { token: owner.token });
    expect(res.status).toBe(422);
  });

  it('accepts 240 characters, counting an emoji as one', async () => {
    expect(
      (await post('/api/v1/statuses', { content: '🌍'.repeat(240) }, { token: owner.token }))
        .status,
    ).toBe(201);
  });

  it('honours Idempotency-Key: replay, 422 on a different body, one row from concurrent duplicates', async () => {
    const key = crypto.randomUUID();
    const content = `idem ${key}`;
    const headers = { 'Idempotency-Key': key };
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        post('/api/v1/statuses', { content }, { token: owner.token, headers }),
      ),
    );
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(await countWithContent(content)).toBe(1);
    const replay = await post('/api/v1/statuses', { content }, { token: owner.token, headers });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(replay.body).toEqual(results.find((r) => r.status === 201)?.body);
    const different = await post(
      '/api/v1/statuses',
      { content: `${content}!` },
      { token: owner.token, headers },
    );
    expect(different.status).toBe(422);
    // The same key on another route is another request: refused, not replayed.
    const onPosts = await post('/api/v1/posts', { body: content }, { token: owner.token, headers });
    expect(onPosts.status).toBe(422);
    expect(onPosts.body.code).toBe('idempotency_key_reused');
  });
});

describe('GET /statuses', () => {
  it('lists newest first, filters by author (case-insensitively) and pages with a cursor', async () => {
    const poster = await createUser();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await writeStatus(poster)).id);
    const seen: string[] = [];
    let url: string | null = `/api/v1/statuses?author=${poster.username.toUpperCase()}&limit=2`;
    while (url) {
      const page: { status: number; headers: Headers; body: any } = await get(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('ETag')).toBeTruthy();
      seen.push(...page.body.items.map((s: { id: string }) => s.id));
      url = page.headers.get('Link')?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null;
    }
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen).toHaveLength(5);
    const none = await get('/api/v1/statuses?author=no_such_user');
    expect(none.body).toEqual({ items: [], next_cursor: null });
  });

  it('refuses a bad cursor (400) and a bad limit (422)', async () => {
    expect((await get('/api/v1/statuses?cursor=nonsense')).status).toBe(400);
    expect((await get('/api/v1/statuses?limit=1000')).status).toBe(422);
  });

  it('answers If-None-Match with 304', async () => {
    const s = await writeStatus(owner);
    const first = await get(`/api/v1/statuses/${s.id}`);
    expect(first.headers.get('ETag')).toBe(await etagOf(first.body));
    const again = await get(`/api/v1/statuses/${s.id}`, {
      headers: { 'If-None-Match': first.headers.get('ETag') ?? '' },
    });
    expect(again.status).toBe(304);
  });

  it('answers an unknown id with 404', async () => {
    expect((await get('/api/v1/statuses/01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11')).status).toBe(404);
  });
});

describe('PATCH /statuses/{id}', () => {
  it('lets only the owner edit: other users and admins get 403, anonymous 401', async () => {
    const s = await writeStatus(owner, 'before');
    expect(
      (await patch(`/api/v1/statuses/${s.id}`, { content: 'x' }, { token: other.token })).status,
    ).toBe(403);
    expect(
      (await patch(`/api/v1/statuses/${s.id}`, { content: 'x' }, { token: admin.token })).status,
    ).toBe(403);
    expect((await patch(`/api/v1/statuses/${s.id}`, { content: 'x' })).status).toBe(401);
    expect((await get(`/api/v1/statuses/${s.id}`)).body.content).toBe('before');
    const ok = await patch(
      `/api/v1/statuses/${s.id}`,
      { content: 'after' },
      { token: owner.token },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.content).toBe('after');
    expect(Date.parse(ok.body.updated_at)).toBeGreaterThan(Date.parse(s.updated_at));
  });

  it('refuses server-owned fields with 422', async () => {
    const s = await writeStatus(owner, 'fixed');
    const res = await patch(
      `/api/v1/statuses/${s.id}`,
      { content: 'x', author: { username: other.username } },
      { token: owner.token },
    );
    expect(res.status).toBe(422);
    expect((await get(`/api/v1/statuses/${s.id}`)).body.content).toBe('fixed');
  });

  it('honours If-Match: a stale ETag is 412 and changes nothing', async () => {
    const s = await writeStatus(owner, 'one');
    const etag = (await get(`/api/v1/statuses/${s.id}`)).headers.get('ETag') ?? '';
    expect(
      (
        await patch(
          `/api/v1/statuses/${s.id}`,
          { content: 'two' },
          { token: owner.token, headers: { 'If-Match': etag } },
        )
      ).status,
    ).toBe(200);
    const stale = await patch(
      `/api/v1/statuses/${s.id}`,
      { content: 'three' },
      { token: owner.token, headers: { 'If-Match': etag } },
    );
    expect(stale.status).toBe(412);
    expect((await get(`/api/v1/statuses/${s.id}`)).body.content).toBe('two');
  });

  it('answers 404 for an unknown status', async () => {
    expect(
      (await patch('/api/v1/statuses/nope', { content: 'x' }, { token: owner.token })).status,
    ).toBe(404);
  });
});

describe('DELETE /statuses/{id}', () => {
  it('refuses other users (403) and anonymous (401); owner and admin may delete', async () => {
    const mine = await writeStatus(owner);
    expect((await del(`/api/v1/statuses/${mine.id}`, { token: other.token })).status).toBe(403);
    expect((await del(`/api/v1/statuses/${mine.id}`)).status).toBe(401);
    expect((await del(`/api/v1/statuses/${mine.id}`, { token: owner.token })).status).toBe(204);
    expect((await get(`/api/v1/statuses/${mine.id}`)).status).toBe(404);
    const moderated = await writeStatus(owner);
    expect((await del(`/api/v1/statuses/${moderated.id}`, { token: admin.token })).status).toBe(
      204,
    );
    expect((await del(`/api/v1/statuses/${moderated.id}`, { token: admin.token })).status).toBe(
      404,
    );
  });

  it('honours If-Match: stale is 412 and the status stays', async () => {
    const s = await writeStatus(owner);
    const etag = (await get(`/api/v1/statuses/${s.id}`)).headers.get('ETag') ?? '';
    await patch(
      `/api/v1/statuses/${s.id}`,
      { content: 'edited meanwhile' },
      { token: owner.token },
    );
    expect(
      (await del(`/api/v1/statuses/${s.id}`, { token: owner.token, headers: { 'If-Match': etag } }))
        .status,
    ).toBe(412);
    expect((await get(`/api/v1/statuses/${s.id}`)).status).toBe(200);
    const fresh = (await get(`/api/v1/statuses/${s.id}`)).headers.get('ETag') ?? '';
    expect(
      (
        await del(`/api/v1/statuses/${s.id}`, {
          token: owner.token,
          headers: { 'If-Match': fresh },
        })
      ).status,
    ).toBe(204);
  });
});
