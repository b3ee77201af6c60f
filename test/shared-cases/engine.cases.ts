import { and, count, desc, eq, inArray, lt, or, sql, sum } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { expect, it } from 'vitest';
import { affectedRows } from '../../src/db/result';
import * as schema from '../../src/db/schema';
import { likes, posts, profiles, requestLogs, users } from '../../src/db/schema';
import { MAX_BOUND_PARAMETERS } from '../../src/lib/chunks';
import {
  isForeignKeyViolation,
  isUniqueViolation,
  violatedUniqueConstraint,
} from '../../src/lib/db-errors';
import { newId } from '../../src/lib/ids';
import { insertLike, insertPost, insertRequestLog, insertUser } from './fixtures';
import type { CaseSuite } from './harness';

/** What the engines must agree on below the feature queries: errors, counts, types, batches. */
async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error('expected the statement to fail');
}

export const engineCases: CaseSuite = (engine) => {
  it('the migrated schema has every table and index the drizzle schema declares', async () => {
    const { db } = engine();
    const present = new Set(
      (
        await db.all<{ type: string; name: string }>(
          sql`select type, name from sqlite_master where type in ('table', 'index')`,
        )
      ).map((r) => `${r.type}:${r.name}`),
    );
    const tables = Object.values(schema).filter((t) => t instanceof SQLiteTable);
    expect(tables.length).toBeGreaterThan(10);
    for (const table of tables) {
      const config = getTableConfig(table);
      expect(present, config.name).toContain(`table:${config.name}`);
      for (const index of config.indexes) {
        expect(present, index.config.name).toContain(`index:${index.config.name}`);
      }
    }
    // Recorded the way wrangler records D1 migrations.
    const columns = await db.all<{ name: string }>(sql`pragma table_info(d1_migrations)`);
    expect(columns.map((c) => c.name)).toEqual(['id', 'name', 'applied_at']);
    const applied = await db.all<{ name: string }>(sql`select name from d1_migrations`);
    expect(applied.length).toBeGreaterThan(0);
    for (const { name } of applied) expect(name).toMatch(/^\d{4}_[\w-]+\.sql$/);
  });

  it('a case-insensitive duplicate is a recognisable unique violation naming its index', async () => {
    const { db } = engine();
    await insertUser(db, { email: 'Ada@Example.com', username: 'ada' });
    const err = await caught(() => insertUser(db, { email: 'ada@example.COM', username: 'ada2' }));
    expect(isUniqueViolation(err)).toBe(true);
    expect(isForeignKeyViolation(err)).toBe(false);
    expect(violatedUniqueConstraint(err)).toBe('users_email_lower_unique');
  });

  it('a duplicate composite primary key is a unique violation naming its columns', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const post = await insertPost(db, user.id);
    await insertLike(db, post.id, user.id);
    const err = await caught(() => insertLike(db, post.id, user.id));
    expect(isUniqueViolation(err)).toBe(true);
    expect(violatedUniqueConstraint(err)).toBe('likes.post_id, likes.user_id');
  });

  it('a missing parent row is a recognisable foreign-key violation', async () => {
    const { db } = engine();
    const err = await caught(() => insertPost(db, newId()));
    expect(isForeignKeyViolation(err)).toBe(true);
    expect(isUniqueViolation(err)).toBe(false);
    expect(violatedUniqueConstraint(err)).toBeNull();
  });

  it('parameters that quote a constraint message do not change how an error is classified', async () => {
    const { db } = engine();
    const err = await caught(() =>
      insertPost(db, newId(), {
        body: "UNIQUE constraint failed: index 'users_email_lower_unique'",
      }),
    );
    expect(isForeignKeyViolation(err)).toBe(true);
    expect(isUniqueViolation(err)).toBe(false);
  });

  it('other failures are neither kind of violation', async () => {
    const { db } = engine();
    const err = await caught(() => db.run(sql`select * from no_such_table`));
    expect(isUniqueViolation(err)).toBe(false);
    expect(isForeignKeyViolation(err)).toBe(false);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });

  it('a failing statement in a batch undoes the whole batch, and the error is recognisable', async () => {
    const { db } = engine();
    const user = await insertUser(db, { username: 'taken' });
    const before = new Date();
    const err = await caught(() =>
      db.batch([
        db.update(profiles).set({ bio: 'changed' }).where(eq(profiles.userId, user.id)),
        db.insert(posts).values({ id: newId(), userId: user.id, body: 'kept?', updatedAt: before }),
        db.insert(users).values({
          id: newId(),
          email: 'other@example.com',
          username: 'TAKEN',
          passwordHash: 'x',
          updatedAt: before,
        }),
      ]),
    );
    expect(isUniqueViolation(err)).toBe(true);
    expect(violatedUniqueConstraint(err)).toBe('users_username_lower_unique');
    const [profile] = await db.select().from(profiles).where(eq(profiles.userId, user.id));
    expect(profile?.bio).toBe('');
    expect(await db.$count(posts)).toBe(0);
  });

  it('affectedRows counts what each run changed, alone and in a batch', async () => {
    const { db } = engine();
    const a = await insertUser(db);
    const b = await insertUser(db);
    const now = new Date();
    expect(affectedRows(await db.update(users).set({ updatedAt: now }))).toBe(2);
    expect(
      affectedRows(await db.update(users).set({ updatedAt: now }).where(eq(users.id, newId()))),
    ).toBe(0);
    const post = await insertPost(db, a.id);
    const [liked, again, bumped] = await db.batch([
      db.insert(likes).values({ postId: post.id, userId: b.id }).onConflictDoNothing(),
      db.insert(likes).values({ postId: post.id, userId: b.id }).onConflictDoNothing(),
      db
        .update(posts)
        .set({ likeCount: sql`${posts.likeCount} + 1` })
        .where(eq(posts.id, post.id)),
    ]);
    expect([affectedRows(liked), affectedRows(again), affectedRows(bumped)]).toEqual([1, 0, 1]);
    const other = await insertPost(db, a.id);
    expect(affectedRows(await db.delete(posts).where(eq(posts.id, other.id)))).toBe(1);
    expect(() => affectedRows([])).toThrow(TypeError);
  });

  // The one difference found between the engines: D1's meta.changes also counts rows that
  // ON DELETE CASCADE / SET NULL changed, libSQL's rowsAffected counts the statement's own
  // rows only. Code that needs "how many did I delete" counts `.returning()` rows instead.
  it('a delete that cascades: returning() counts own rows on both, affectedRows differs', async () => {
    const { db, name } = engine();
    const user = await insertUser(db);
    await insertPost(db, user.id);
    await insertPost(db, user.id);
    const deleted = await db.delete(users).where(eq(users.id, user.id)).returning({ id: users.id });
    expect(deleted).toEqual([{ id: user.id }]);
    expect(await db.$count(posts)).toBe(0);
    expect(await db.$count(profiles)).toBe(0);

    const again = await insertUser(db);
    const post = await insertPost(db, again.id);
    await insertLike(db, post.id, again.id);
    const result = await db.delete(posts).where(eq(posts.id, post.id));
    // The post, plus on D1 its like (removed by the cascade).
    expect(affectedRows(result)).toBe(name === 'd1' ? 2 : 1);
    expect(await db.$count(likes)).toBe(0);
  });

  it('values round-trip with the same types: ms timestamps, booleans, reals, nulls', async () => {
    const { db } = engine();
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    const user = await insertUser(db, { emailVerified: true, isAdmin: false, updatedAt: at });
    expect(user.updatedAt).toEqual(at);
    expect(user.emailVerified).toBe(true);
    expect(user.isAdmin).toBe(false);
    // created_at comes from the column default: integer milliseconds, close to now.
    expect(user.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(user.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    const log = await insertRequestLog(db, { durationMs: 12.25, userId: null, country: null });
    const [row] = await db.select().from(requestLogs).where(eq(requestLogs.id, log.id));
    expect(row?.durationMs).toBe(12.25);
    expect(row?.userId).toBeNull();
    expect(typeof row?.status).toBe('number');
  });

  it('aggregates have the same types: count is a number, sum over nothing is null', async () => {
    const { db } = engine();
    const [none] = await db.select({ n: count(), total: sum(posts.likeCount) }).from(posts);
    expect(none).toEqual({ n: 0, total: null });
    const user = await insertUser(db);
    await insertPost(db, user.id, { likeCount: 2 });
    await insertPost(db, user.id, { likeCount: 3 });
    const [some] = await db
      .select({ n: count(), total: sql<number>`coalesce(sum(${posts.likeCount}), 0)` })
      .from(posts);
    expect(some).toEqual({ n: 2, total: 5 });
    const raw = await db.get<{ n: number }>(sql`select count(*) as n from ${posts}`);
    expect(raw).toEqual({ n: 2 });
    const all = await db.all<{ id: string }>(sql`select id from ${posts} order by id`);
    expect(all).toHaveLength(2);
    expect(Object.keys(all[0] ?? {})).toEqual(['id']);
  });

  it('a batch returns each statement’s result in order (rows for selects and returning)', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const id = newId();
    const [inserted, selected, counted] = await db.batch([
      db
        .insert(posts)
        .values({ id, userId: user.id, body: 'hello', updatedAt: new Date() })
        .returning({ id: posts.id }),
      db.select({ body: posts.body }).from(posts).where(eq(posts.id, id)),
      db.select({ n: count() }).from(posts),
    ]);
    expect(inserted).toEqual([{ id }]);
    expect(selected).toEqual([{ body: 'hello' }]);
    expect(counted).toEqual([{ n: 1 }]);
  });

  it('keyset pagination over (created_at, id) pages through ties without gaps or repeats', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const at = new Date(Date.UTC(2026, 5, 1));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      // Three rows share one timestamp: the id must break the tie.
      const createdAt = new Date(at.getTime() + (i < 3 ? 0 : i * 1000));
      ids.push((await insertPost(db, user.id, { createdAt })).id);
    }
    const seen: string[] = [];
    let position: { at: Date; id: string } | null = null;
    for (;;) {
      const page: { id: string; createdAt: Date }[] = await db
        .select({ id: posts.id, createdAt: posts.createdAt })
        .from(posts)
        .where(
          position
            ? or(
                lt(posts.createdAt, position.at),
                and(eq(posts.createdAt, position.at), lt(posts.id, position.id)),
              )
            : undefined,
        )
        .orderBy(desc(posts.createdAt), desc(posts.id))
        .limit(2);
      if (page.length === 0) break;
      seen.push(...page.map((p) => p.id));
      const last = page[page.length - 1]!;
      position = { at: last.createdAt, id: last.id };
    }
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it(`a statement with ${MAX_BOUND_PARAMETERS} bound parameters works on both (D1's limit)`, async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const wanted = Array.from({ length: MAX_BOUND_PARAMETERS }, (_, i) =>
      i === 0 ? user.id : newId(),
    );
    const rows = await db.select({ id: users.id }).from(users).where(inArray(users.id, wanted));
    expect(rows).toEqual([{ id: user.id }]);
  });

  // Both engines bind a JS number as REAL (D1, libSQL native and libSQL over HTTP alike);
  // INTEGER columns store integral values as integers, so only expressions over raw
  // parameters can see the difference, and they see the same one everywhere.
  it('numbers bind as REAL on both engines and integer columns keep integers', async () => {
    const { db } = engine();
    const row = await db.get<{ a: string; b: string; c: number; d: string }>(
      sql`select typeof(${5}) as a, ${1795438241243} || '' as b, ${7} / ${2} as c, typeof(7 / 2) as d`,
    );
    expect(row).toEqual({ a: 'real', b: '1795438241243.0', c: 3.5, d: 'integer' });
    const user = await insertUser(db, { updatedAt: new Date(1795438241243) });
    const stored = await db.get<{ t: string }>(
      sql`select typeof(${users.updatedAt}) as t from ${users} where ${users.id} = ${user.id}`,
    );
    expect(stored).toEqual({ t: 'integer' });
  });

  it('lower() and LIKE fold ASCII case the same way', async () => {
    const { db } = engine();
    await insertUser(db, { username: 'MixedCase' });
    const [exact] = await db
      .select({ username: users.username })
      .from(users)
      .where(eq(sql`lower(${users.username})`, 'mixedcase'));
    expect(exact?.username).toBe('MixedCase');
    const liked = await db
      .select({ username: users.username })
      .from(users)
      .where(sql`${users.username} like ${'mixed%'}`);
    expect(liked).toHaveLength(1);
  });
};
