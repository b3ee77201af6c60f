import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_TTL_MS, IN_FLIGHT_LEASE_MS, requestHash } from '../../src/lib/idempotency';
import { newId } from '../../src/lib/ids';
import { post } from '../support/http';
import { createUser, type DirectUser, dbValue, postCountOf } from './fixtures';

let user: DirectUser;

beforeAll(async () => {
  user = await createUser();
});

const postsWithBody = (body: string) =>
  dbValue<number>('select count(*) from posts where body = ?', body);

const createWithKey = (key: string, body: string, who: DirectUser = user) =>
  post('/api/v1/posts', { body }, { token: who.token, headers: { 'Idempotency-Key': key } });

async function insertKey(row: {
  key: string;
  body: string;
  state: 'in_flight' | 'completed';
  ageMs: number;
  location?: string;
}) {
  const hash = await requestHash('POST', '/api/v1/posts', JSON.stringify({ body: row.body }));
  await env.DB.prepare(
    `insert into idempotency_keys (user_id, key, method, path, request_hash, state, response_status, response_body, response_location, created_at)
     values (?, ?, 'POST', '/api/v1/posts', ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      user.id,
      row.key,
      hash,
      row.state,
      row.state === 'completed' ? 201 : null,
      row.state === 'completed' ? '{"stale":true}' : null,
      row.location ?? `http://localhost/api/v1/posts/${newId()}`,
      Date.now() - row.ageMs,
    )
    .run();
}

describe('Idempotency-Key on POST /posts', () => {
  it('replays the first response for the same key and body, creating nothing new', async () => {
    const key = crypto.randomUUID();
    const body = `idem ${key}`;
    const before = await postCountOf(user.id);
    const first = await createWithKey(key, body);
    expect(first.status).toBe(201);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    const second = await createWithKey(key, body);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await postsWithBody(body)).toBe(1);
    expect(await postCountOf(user.id)).toBe((before ?? 0) + 1);
  });

  it('refuses the same key with a different body (422) and creates nothing', async () => {
    const key = crypto.randomUUID();
    await createWithKey(key, `a ${key}`);
    const res = await createWithKey(key, `b ${key}`);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency_key_reused');
    expect(await postsWithBody(`b ${key}`)).toBe(0);
  });

  it('answers 409 while the first request with the key is still in flight', async () => {
    const key = crypto.randomUUID();
    const body = `in flight ${key}`;
    await insertKey({ key, body, state: 'in_flight', ageMs: 0 });
    const res = await createWithKey(key, body);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('idempotency_key_in_flight');
    expect(res.headers.get('Retry-After')).toBe('1');
    expect(await postsWithBody(body)).toBe(0);
  });

  it('creates exactly one post from concurrent duplicates', async () => {
    const key = crypto.randomUUID();
    const body = `concurrent ${key}`;
    const before = await postCountOf(user.id);
    const results = await Promise.all(Array.from({ length: 10 }, () => createWithKey(key, body)));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses).toContain(201);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(await postsWithBody(body)).toBe(1);
    expect(await postCountOf(user.id)).toBe((before ?? 0) + 1);
  });

  it('scopes keys per user', async () => {
    const other = await createUser();
    const key = crypto.randomUUID();
    const mine = await createWithKey(key, `shared key ${key}`);
    const theirs = await createWithKey(key, `shared key ${key}`, other);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.headers.get('Idempotent-Replayed')).toBeNull();
  });

  it('forgets a key after 24 hours', async () => {
    const key = crypto.randomUUID();
    await insertKey({
      key,
      body: 'old',
      state: 'completed',
      ageMs: IDEMPOTENCY_KEY_TTL_MS + 60_000,
    });
    const res = await createWithKey(key, `new body ${key}`);
    expect(res.status).toBe(201);
    expect(res.headers.get('Idempotent-Replayed')).toBeNull();
    expect(res.body.body).toBe(`new body ${key}`);
  });

  it('lets a retry take over a claim whose request died, reusing its reserved id', async () => {
    const key = crypto.randomUUID();
    const body = `revived ${key}`;
    const reservedId = newId();
    await insertKey({
      key,
      body,
      state: 'in_flight',
      ageMs: IN_FLIGHT_LEASE_MS + 5_000,
      location: `http://localhost/api/v1/posts/${reservedId}`,
    });
    const res = await createWithKey(key, body);
    expect(res.status).toBe(201);
    expect(res.body.id).toBe(reservedId);
    expect(res.headers.get('Location')).toBe(`http://localhost/api/v1/posts/${reservedId}`);
  });

  it('does not duplicate a post the dead request had already written', async () => {
    const key = crypto.randomUUID();
    const body = `written then died ${key}`;
    const first = await createWithKey(key, body);
    const before = await postCountOf(user.id);
    // Make it look as if the response was never stored and the lease ran out.
    await env.DB.prepare(
      `update idempotency_keys set state = 'in_flight', response_status = null, response_body = null, created_at = ? where user_id = ? and key = ?`,
    )
      .bind(Date.now() - IN_FLIGHT_LEASE_MS - 5_000, user.id, key)
      .run();
    const retry = await createWithKey(key, body);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(await postsWithBody(body)).toBe(1);
    expect(await postCountOf(user.id)).toBe(before);
  });

  it('refuses a malformed key with 422', async () => {
    for (const key of ['x'.repeat(256), 'has space', 'tab\there']) {
      const res = await createWithKey(key, 'whatever');
      expect(res.status, key).toBe(422);
      expect(res.body.errors[0].path).toBe('/headers/idempotency-key');
    }
  });
});
