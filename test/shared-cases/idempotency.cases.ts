import { expect, it } from 'vitest';
import { idempotencyKeys } from '../../src/db/schema';
import {
  IDEMPOTENCY_KEY_TTL_MS,
  type IdempotencyScope,
  IN_FLIGHT_LEASE_MS,
  runIdempotent,
} from '../../src/lib/idempotency';
import { badRequest } from '../../src/lib/problem';
import { insertUser } from './fixtures';
import type { CaseSuite } from './harness';

const T0 = Date.UTC(2026, 4, 1, 12);

/** lib/idempotency: the claim is an upsert with a guarded update and RETURNING. */
export const idempotencyCases: CaseSuite = (engine) => {
  const scope = (userId: string, over: Partial<IdempotencyScope> = {}): IdempotencyScope => ({
    userId,
    key: 'key-1',
    method: 'POST',
    path: '/api/v1/posts',
    body: '{"body":"hello"}',
    locationFor: (id) => `https://api.example/api/v1/posts/${id}`,
    now: T0,
    ...over,
  });

  it('runs once per key and replays the first response, with the same location', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const created: string[] = [];
    const create = async (id: string) => {
      created.push(id);
      return { status: 201, body: { id, n: created.length } };
    };
    const first = await runIdempotent(db, scope(user.id), create);
    expect(first.replayed).toBe(false);
    expect(first.location).toBe(`https://api.example/api/v1/posts/${created[0]}`);
    const again = await runIdempotent(db, scope(user.id, { now: T0 + 1000 }), create);
    expect(again).toEqual({ ...first, replayed: true });
    expect(created).toHaveLength(1);
    // Another user's identical key is a different claim.
    const other = await insertUser(db);
    await runIdempotent(db, scope(other.id), create);
    expect(created).toHaveLength(2);
  });

  it('the same key with another body is 422; while the first is in flight it is 409', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    let inner: Promise<unknown> | undefined;
    await runIdempotent(db, scope(user.id), async (id) => {
      // A duplicate arriving while the first request is still running.
      inner = runIdempotent(db, scope(user.id), async () => ({ status: 201, body: {} }));
      await expect(inner).rejects.toMatchObject({
        status: 409,
        code: 'idempotency_key_in_flight',
      });
      return { status: 201, body: { id } };
    });
    await inner?.catch(() => undefined);
    await expect(
      runIdempotent(db, scope(user.id, { body: '{"body":"other"}' }), async () => ({
        status: 201,
        body: {},
      })),
    ).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused' });
  });

  it('a refused request frees its key; a retry then runs', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    await expect(
      runIdempotent(db, scope(user.id), async () => {
        throw badRequest('no');
      }),
    ).rejects.toMatchObject({ status: 400 });
    expect(await db.$count(idempotencyKeys)).toBe(0);
    const ok = await runIdempotent(db, scope(user.id), async (id) => ({ status: 201, body: id }));
    expect(ok.replayed).toBe(false);
  });

  it('a claim left in flight past the lease is taken over with the same reserved id', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const ids: string[] = [];
    await expect(
      runIdempotent(db, scope(user.id), async (id) => {
        ids.push(id);
        throw new Error('isolate died');
      }),
    ).rejects.toThrow('isolate died');
    await expect(
      runIdempotent(db, scope(user.id, { now: T0 + 1000 }), async () => ({ status: 201, body: 1 })),
    ).rejects.toMatchObject({ status: 409 });
    const retried = await runIdempotent(
      db,
      scope(user.id, { now: T0 + IN_FLIGHT_LEASE_MS + 1 }),
      async (id) => {
        ids.push(id);
        return { status: 201, body: id };
      },
    );
    expect(retried.replayed).toBe(false);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
  });

  it('an expired key starts over with a new resource id', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const first = await runIdempotent(db, scope(user.id), async (id) => ({
      status: 201,
      body: id,
    }));
    const later = await runIdempotent(
      db,
      scope(user.id, { now: T0 + IDEMPOTENCY_KEY_TTL_MS + 1, body: '{"body":"new"}' }),
      async (id) => ({ status: 201, body: id }),
    );
    expect(later.replayed).toBe(false);
    expect(later.body).not.toBe(first.body);
    expect(later.location).not.toBe(first.location);
  });

  it('without a key the creation simply runs every time', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    let runs = 0;
    const create = async (id: string) => ({ status: 201, body: { id, run: ++runs } });
    await runIdempotent(db, scope(user.id, { key: undefined }), create);
    await runIdempotent(db, scope(user.id, { key: undefined }), create);
    expect(runs).toBe(2);
    expect(await db.$count(idempotencyKeys)).toBe(0);
  });
};
