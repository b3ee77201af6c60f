import { env } from 'cloudflare:workers';
import { desc, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client';
import { preparedSelect } from '../../src/db/prepared';
import { images, posts, profiles, users } from '../../src/db/schema';
import { findPost, listPosts } from '../../src/features/posts/posts.queries';
import { insertImage, insertLike, insertPost, insertUser } from '../shared-cases/fixtures';
import { clearTables } from '../shared-cases/harness';

// preparedSelect runs its SQL on the request's D1 session itself and decodes rows by position:
// its rows must be exactly drizzle's (dates, nulls from left joins, sql`…` with mapWith).
const db = () => createDatabase(env.DB);

const columns = {
  id: posts.id,
  createdAt: posts.createdAt,
  author: users.username,
  city: profiles.city,
  imageWidth: images.width,
  authorSince: sql`${users.createdAt}`.mapWith(users.createdAt).as('author_since'),
  bodyLength: sql<number>`length(${posts.body})`,
};
const byAuthor = (
  database: ReturnType<typeof db>,
  author: string | ReturnType<typeof sql.placeholder>,
) =>
  database
    .select(columns)
    .from(posts)
    .innerJoin(users, eq(users.id, posts.userId))
    .leftJoin(profiles, eq(profiles.userId, posts.userId))
    .leftJoin(images, eq(images.key, posts.imageKey))
    .where(eq(users.username, author))
    .orderBy(desc(posts.createdAt), desc(posts.id));

describe('preparedSelect on D1', () => {
  beforeEach(async () => {
    await clearTables(db());
    const ada = await insertUser(db(), { username: 'ada' });
    const image = await insertImage(db(), ada.id);
    await insertPost(db(), ada.id, {
      imageKey: image.key,
      createdAt: new Date(Date.UTC(2026, 0, 2)),
    });
    await insertPost(db(), ada.id, { createdAt: new Date(Date.UTC(2026, 0, 1)) });
  });

  it("returns drizzle's own rows, decoded the same way", async () => {
    const select = preparedSelect((database, _shape: 'one') =>
      byAuthor(database, sql.placeholder('author')),
    );
    const ours = await select(db(), 'one', { author: 'ada' });
    const drizzles = await byAuthor(db(), 'ada');
    expect(ours).toEqual(drizzles);
    expect(ours).toHaveLength(2);
    expect(ours[0]?.createdAt).toBeInstanceOf(Date);
    expect(ours[0]?.authorSince).toBeInstanceOf(Date);
    expect(ours[0]?.imageWidth).toEqual(expect.any(Number));
    expect(ours[1]?.imageWidth).toBeNull();
    expect(await select(db(), 'one', { author: 'nobody' })).toEqual([]);
  });

  it('builds each shape once per isolate, then only binds values', async () => {
    const built: string[] = [];
    const select = preparedSelect((database, shape: 'a' | 'b') => {
      built.push(shape);
      return byAuthor(database, sql.placeholder('author'));
    });
    await select(db(), 'a', { author: 'ada' });
    await select(db(), 'a', { author: 'nobody' });
    await select(db(), 'b', { author: 'ada' });
    expect(built).toEqual(['a', 'b']);
  });

  it('serves findPost and every shape of listPosts as drizzle would', async () => {
    const [newest, older] = await listPosts(db(), { viewerId: null, position: null, limit: 5 });
    const viewer = await insertUser(db(), { username: 'viewer' });
    await insertLike(db(), older!.id, viewer.id);
    for (const viewerId of [null, viewer.id]) {
      expect((await findPost(db(), older!.id, viewerId))?.id).toBe(older!.id);
      for (const author of [undefined, 'ADA', 'nobody']) {
        for (const position of [null, { at: newest!.createdAt.getTime(), id: newest!.id }]) {
          const page = await listPosts(db(), { viewerId, author, position, limit: 5 });
          const expected = author === 'nobody' ? [] : position ? [older] : [newest, older];
          expect(page.map((row) => row.id)).toEqual(expected.map((row) => row!.id));
          const liked = page.find((row) => row.id === older!.id);
          if (liked) expect(Number(liked.likedByMe)).toBe(viewerId ? 1 : 0);
        }
      }
    }
  });
});
