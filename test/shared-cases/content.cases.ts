import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { batchNamed } from '../../src/db/batch';
import type { Database } from '../../src/db/client';
import { images, likes, posts, profiles } from '../../src/db/schema';
import { findImage } from '../../src/features/images/images.queries';
import {
  likePost,
  listLikes,
  listLikesOfPosts,
  postExists,
  unlikePost,
} from '../../src/features/posts/likes.queries';
import { deleteImageUnlessPosted } from '../../src/features/posts/post-image.queries';
import {
  createPost,
  createPostStatements,
  deletePost,
  findPost,
  findPostsByIds,
  listPosts,
  listPostsLikedBy,
  updatePostBody,
} from '../../src/features/posts/posts.queries';
import {
  createStatus,
  deleteStatus,
  findStatus,
  listStatuses,
  updateStatusContent,
} from '../../src/features/statuses/statuses.queries';
import { MAX_BOUND_PARAMETERS } from '../../src/lib/chunks';
import { isForeignKeyViolation } from '../../src/lib/db-errors';
import { newId } from '../../src/lib/ids';
import { insertImage, insertLike, insertPost, insertStatus, insertUser } from './fixtures';
import type { CaseSuite } from './harness';

const T0 = Date.UTC(2026, 4, 1, 12);
const at = (ms: number) => new Date(T0 + ms);

const postCountOf = async (db: Database, userId: string) =>
  (await db.select().from(profiles).where(eq(profiles.userId, userId)))[0]?.postCount;

/** Statuses, posts, likes and images queries. */
export const contentCases: CaseSuite = (engine) => {
  it('createStatus inserts and reads back with its author; a repeated id changes nothing', async () => {
    const { db } = engine();
    const user = await insertUser(db, { username: 'writer' });
    const id = newId(T0);
    const created = await createStatus(db, { id, authorId: user.id, content: 'hi', now: T0 });
    expect(created).toEqual({
      id,
      content: 'hi',
      createdAt: at(0),
      updatedAt: at(0),
      authorId: user.id,
      authorUsername: 'writer',
      authorAvatarKey: null,
    });
    const again = await createStatus(db, { id, authorId: user.id, content: 'other', now: T0 + 5 });
    expect(again).toEqual(created);
    expect(await findStatus(db, id)).toEqual(created);
    expect(await findStatus(db, newId())).toBeUndefined();
  });

  it('createStatus for an unknown author is a foreign-key violation', async () => {
    const { db } = engine();
    let err: unknown;
    try {
      await createStatus(db, { id: newId(), authorId: newId(), content: 'x', now: T0 });
    } catch (e) {
      err = e;
    }
    expect(isForeignKeyViolation(err)).toBe(true);
  });

  it('listStatuses pages newest first, breaks timestamp ties by id, filters by author name', async () => {
    const { db } = engine();
    const ada = await insertUser(db, { username: 'Ada' });
    const bob = await insertUser(db, { username: 'bob' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await insertStatus(db, i % 2 ? bob.id : ada.id, { createdAt: at(i < 3 ? 0 : i) });
      ids.push(s.id);
    }
    const expected = [ids[4], ids[3], ...[ids[0], ids[1], ids[2]].sort().reverse()];
    const all = await listStatuses(db, { position: null, limit: 10 });
    expect(all.map((s) => s.id)).toEqual(expected);
    const page = await listStatuses(db, { position: null, limit: 2 });
    expect(page).toHaveLength(3);
    const last = page[1]!;
    const rest = await listStatuses(db, {
      position: { at: last.createdAt.getTime(), id: last.id },
      limit: 10,
    });
    expect(rest.map((s) => s.id)).toEqual(expected.slice(2));
    const byAda = await listStatuses(db, { username: 'ADA', position: null, limit: 10 });
    expect(byAda.every((s) => s.authorId === ada.id)).toBe(true);
    expect(byAda).toHaveLength(3);
    expect(await listStatuses(db, { username: 'nobody', position: null, limit: 10 })).toEqual([]);
  });

  it('updateStatusContent honours expectedUpdatedAt; deleteStatus too, and only once', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const s = await insertStatus(db, user.id, { createdAt: at(0) });
    const stale = await updateStatusContent(db, {
      id: s.id,
      content: 'new',
      updatedAt: at(2),
      expectedUpdatedAt: at(1),
    });
    expect(stale.changed).toBe(false);
    expect(stale.status?.content).toBe(s.content);
    const ok = await updateStatusContent(db, {
      id: s.id,
      content: 'new',
      updatedAt: at(2),
      expectedUpdatedAt: at(0),
    });
    expect(ok).toMatchObject({ changed: true, status: { content: 'new', updatedAt: at(2) } });
    expect(await deleteStatus(db, { id: s.id, expectedUpdatedAt: at(0) })).toBe(false);
    expect(await deleteStatus(db, { id: s.id, expectedUpdatedAt: at(2) })).toBe(true);
    expect(await deleteStatus(db, { id: s.id })).toBe(false);
    const missing = await updateStatusContent(db, { id: s.id, content: 'x', updatedAt: at(3) });
    expect(missing).toEqual({ changed: false, status: undefined });
  });

  it('createPost counts the post once, even when the same id is created again', async () => {
    const { db } = engine();
    const user = await insertUser(db, { username: 'poster' });
    const image = await insertImage(db, user.id, { width: 640, height: 480, thumbnailKey: 't' });
    const id = newId(T0);
    const input = { id, authorId: user.id, body: 'hello', imageKey: image.key, now: T0 };
    const created = await createPost(db, input);
    expect(created).toMatchObject({
      id,
      body: 'hello',
      likeCount: 0,
      createdAt: at(0),
      authorId: user.id,
      authorUsername: 'poster',
      authorAvatarKey: null,
      imageKey: image.key,
      imageThumbnailKey: 't',
      imageWidth: 640,
      imageHeight: 480,
      imageContentType: 'image/png',
    });
    expect(Number(created?.likedByMe)).toBe(0);
    expect(await createPost(db, { ...input, body: 'again' })).toEqual(created);
    expect(await postCountOf(db, user.id)).toBe(1);
    expect(await db.$count(posts)).toBe(1);
  });

  it('a post with an upload: image row, post and count in one batch; a retry drops its own row', async () => {
    const { db } = engine();
    const user = await insertUser(db, { username: 'shooter' });
    const id = newId(T0);
    // The multipart create's batch: the images row, createPostStatements, the cleanup.
    const uploadBatch = (db: Database, key: string) =>
      batchNamed(db, {
        imageRow: db.insert(images).values({
          key,
          ownerId: user.id,
          purpose: 'post',
          contentType: 'image/webp',
          size: 5,
          width: 2,
          height: 3,
        }),
        ...createPostStatements(db, { id, authorId: user.id, body: 'pic', imageKey: key, now: T0 }),
        unusedImage: deleteImageUnlessPosted(db, key),
      });
    const first = await uploadBatch(db, `u/${user.id}/first.webp`);
    const [row] = first.post;
    expect(row).toMatchObject({ id, imageKey: `u/${user.id}/first.webp`, imageWidth: 2 });
    // The retry (same post id, a new upload) finds the post written: its own row goes again.
    const retry = await uploadBatch(db, `u/${user.id}/retry.webp`);
    expect(retry.post[0]?.imageKey).toBe(`u/${user.id}/first.webp`);
    expect((await db.select({ key: images.key }).from(images)).map((r) => r.key)).toEqual([
      `u/${user.id}/first.webp`,
    ]);
    expect(await postCountOf(db, user.id)).toBe(1);
  });

  it('findPost and findPostsByIds say whether the viewer likes each post', async () => {
    const { db } = engine();
    const author = await insertUser(db);
    const viewer = await insertUser(db);
    const liked = await insertPost(db, author.id);
    const plain = await insertPost(db, author.id);
    await insertLike(db, liked.id, viewer.id);
    expect(Number((await findPost(db, liked.id, viewer.id))?.likedByMe)).toBe(1);
    expect(Number((await findPost(db, plain.id, viewer.id))?.likedByMe)).toBe(0);
    expect(Number((await findPost(db, liked.id, null))?.likedByMe)).toBe(0);
    expect(await findPost(db, newId(), null)).toBeUndefined();
    // More ids than one statement may bind: chunked, order kept, unknown and repeated ids dropped.
    const many = [
      plain.id,
      ...Array.from({ length: MAX_BOUND_PARAMETERS + 20 }, () => newId()),
      liked.id,
      plain.id,
    ];
    const found = await findPostsByIds(db, many, viewer.id);
    expect(found.map((p) => [p.id, Number(p.likedByMe)])).toEqual([
      [plain.id, 0],
      [liked.id, 1],
    ]);
    expect(await findPostsByIds(db, [], null)).toEqual([]);
    // One id takes findPost's prepared statement: the same row, none for an unknown id.
    expect(await findPostsByIds(db, [liked.id, liked.id], viewer.id)).toEqual([
      await findPost(db, liked.id, viewer.id),
    ]);
    expect(await findPostsByIds(db, [newId()], null)).toEqual([]);
  });

  it('listPosts pages newest first and filters by author name', async () => {
    const { db } = engine();
    const ada = await insertUser(db, { username: 'ada' });
    const bob = await insertUser(db, { username: 'Bob' });
    const made = [];
    for (let i = 0; i < 4; i++) {
      made.push(await insertPost(db, i === 3 ? bob.id : ada.id, { createdAt: at(i * 10) }));
    }
    const first = await listPosts(db, { viewerId: null, position: null, limit: 2 });
    expect(first.map((p) => p.id)).toEqual([made[3]!.id, made[2]!.id, made[1]!.id]);
    const next = await listPosts(db, {
      viewerId: null,
      position: { at: first[1]!.createdAt.getTime(), id: first[1]!.id },
      limit: 2,
    });
    expect(next.map((p) => p.id)).toEqual([made[1]!.id, made[0]!.id]);
    const bobs = await listPosts(db, { viewerId: null, author: 'BOB', position: null, limit: 5 });
    expect(bobs.map((p) => p.id)).toEqual([made[3]!.id]);
  });

  it('listPostsLikedBy lists what a user liked, most recently liked first, by author too', async () => {
    const { db } = engine();
    const fan = await insertUser(db, { username: 'fan' });
    const ada = await insertUser(db, { username: 'ada' });
    const bob = await insertUser(db, { username: 'bob' });
    const p1 = await insertPost(db, ada.id, { createdAt: at(0) });
    const p2 = await insertPost(db, bob.id, { createdAt: at(1) });
    const p3 = await insertPost(db, ada.id, { createdAt: at(2) });
    await insertLike(db, p1.id, fan.id, at(30));
    await insertLike(db, p2.id, fan.id, at(10));
    await insertLike(db, p3.id, fan.id, at(20));
    await insertLike(db, p3.id, ada.id, at(40));
    const list = (over: object = {}) =>
      listPostsLikedBy(db, {
        viewerId: fan.id,
        likedBy: 'FAN',
        position: null,
        limit: 10,
        ...over,
      });
    const all = await list();
    expect(all.map((p) => p.id)).toEqual([p1.id, p3.id, p2.id]);
    expect(all.map((p) => Number(p.likedAt))).toEqual([T0 + 30, T0 + 20, T0 + 10]);
    expect(all.every((p) => Number(p.likedByMe) === 1)).toBe(true);
    const page = await list({ position: { at: T0 + 20, id: p3.id } });
    expect(page.map((p) => p.id)).toEqual([p2.id]);
    expect((await list({ author: 'ada' })).map((p) => p.id)).toEqual([p1.id, p3.id]);
    expect(await list({ likedBy: 'nobody' })).toEqual([]);
  });

  it('updatePostBody honours expectedUpdatedAt', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const post = await insertPost(db, user.id, { createdAt: at(0) });
    const base = { id: post.id, body: 'edited', updatedAt: at(5), viewerId: user.id };
    const stale = await updatePostBody(db, { ...base, expectedUpdatedAt: at(1) });
    expect(stale.changed).toBe(false);
    expect(stale.post?.body).toBe(post.body);
    const ok = await updatePostBody(db, { ...base, expectedUpdatedAt: at(0) });
    expect(ok).toMatchObject({ changed: true, post: { body: 'edited', updatedAt: at(5) } });
    expect(await updatePostBody(db, { ...base, id: newId() })).toEqual({
      changed: false,
      post: undefined,
    });
  });

  it('deletePost removes post, likes and unshared image row, un-counts once, honours If-Match', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const fan = await insertUser(db);
    const image = await insertImage(db, user.id);
    const created = await createPost(db, {
      id: newId(T0),
      authorId: user.id,
      body: 'bye',
      imageKey: image.key,
      now: T0,
    });
    await likePost(db, { postId: created!.id, userId: fan.id, now: T0 + 1 });
    const input = { id: created!.id, authorId: user.id, imageKey: image.key };
    expect(await deletePost(db, { ...input, expectedUpdatedAt: at(1) })).toBe(false);
    expect(await postCountOf(db, user.id)).toBe(1);
    expect(await deletePost(db, { ...input, expectedUpdatedAt: at(0) })).toBe(true);
    expect(await deletePost(db, input)).toBe(false);
    expect(await postCountOf(db, user.id)).toBe(0);
    expect(await db.$count(likes)).toBe(0);
    expect(await db.$count(images)).toBe(0);
    expect(await findImage(db, image.key)).toBeNull();
  });

  it('deletePost keeps an image another post still shows', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const image = await insertImage(db, user.id);
    const a = await insertPost(db, user.id, { imageKey: image.key });
    await insertPost(db, user.id, { imageKey: image.key });
    expect(await deletePost(db, { id: a.id, authorId: user.id, imageKey: image.key })).toBe(true);
    expect(await findImage(db, image.key)).toEqual({
      key: image.key,
      contentType: 'image/png',
      size: 100,
      thumbnailKey: null,
      thumbnailFailedAt: null,
    });
  });

  it('likePost and unlikePost move the counter only when the like row really changes', async () => {
    const { db } = engine();
    const author = await insertUser(db);
    const fans = [await insertUser(db), await insertUser(db), await insertUser(db)];
    const post = await insertPost(db, author.id);
    for (const fan of fans) {
      expect(await likePost(db, { postId: post.id, userId: fan.id, now: T0 })).toBeGreaterThan(0);
    }
    expect(await likePost(db, { postId: post.id, userId: fans[0]!.id, now: T0 + 1 })).toBe(3);
    expect(await db.$count(likes)).toBe(3);
    expect(await unlikePost(db, { postId: post.id, userId: fans[0]!.id })).toBe(2);
    expect(await unlikePost(db, { postId: post.id, userId: fans[0]!.id })).toBe(2);
    expect(await unlikePost(db, { postId: post.id, userId: author.id })).toBe(2);
    const missing = newId();
    expect(await likePost(db, { postId: missing, userId: author.id, now: T0 })).toBeNull();
    expect(await unlikePost(db, { postId: missing, userId: author.id })).toBeNull();
    expect(await db.$count(likes)).toBe(2);
  });

  it('listLikes pages most recent first with the liker’s name; postExists', async () => {
    const { db } = engine();
    const author = await insertUser(db);
    const post = await insertPost(db, author.id);
    const likers = [];
    for (let i = 0; i < 3; i++) {
      const u = await insertUser(db, { username: `liker${i}` });
      likers.push(u);
      await insertLike(db, post.id, u.id, at(i));
    }
    const first = await listLikes(db, { postId: post.id, position: null, limit: 2 });
    expect(first.map((l) => l.username)).toEqual(['liker2', 'liker1', 'liker0']);
    expect(first[0]).toMatchObject({ userId: likers[2]!.id, likedAt: at(2), avatarKey: null });
    const rest = await listLikes(db, {
      postId: post.id,
      position: { at: T0 + 1, id: likers[1]!.id },
      limit: 2,
    });
    expect(rest.map((l) => l.username)).toEqual(['liker0']);
    expect(await postExists(db, post.id)).toBe(true);
    expect(await postExists(db, newId())).toBe(false);
  });

  it('listLikesOfPosts: the first likes of many posts in one statement, per post, after a position', async () => {
    const { db } = engine();
    const author = await insertUser(db);
    const [busy, quiet, none] = [
      await insertPost(db, author.id),
      await insertPost(db, author.id),
      await insertPost(db, author.id),
    ];
    const likers = [];
    for (let i = 0; i < 4; i++) {
      const u = await insertUser(db);
      likers.push(u);
      await insertLike(db, busy.id, u.id, at(i));
    }
    await insertLike(db, quiet.id, likers[0]!.id, at(10));
    const page = await listLikesOfPosts(db, {
      postIds: [busy.id, quiet.id, none.id, busy.id],
      position: null,
      limit: 2,
    });
    // limit + 1 rows per post, newest first.
    expect(page.get(busy.id)?.map((l) => l.userId)).toEqual([
      likers[3]!.id,
      likers[2]!.id,
      likers[1]!.id,
    ]);
    expect(page.get(quiet.id)).toEqual([
      { postId: quiet.id, userId: likers[0]!.id, likedAt: T0 + 10 },
    ]);
    expect(page.get(none.id)).toEqual([]);
    const after = await listLikesOfPosts(db, {
      postIds: [busy.id],
      position: { at: T0 + 2, id: likers[2]!.id },
      limit: 2,
    });
    expect(after.get(busy.id)?.map((l) => l.userId)).toEqual([likers[1]!.id, likers[0]!.id]);
    expect((await listLikesOfPosts(db, { postIds: [], position: null, limit: 2 })).size).toBe(0);
  });

  it('findImage returns the stored metadata or null', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const image = await insertImage(db, user.id, { thumbnailKey: 'thumbs/x.webp', size: 1234 });
    expect(await findImage(db, image.key)).toEqual({
      key: image.key,
      contentType: 'image/png',
      size: 1234,
      thumbnailKey: 'thumbs/x.webp',
      thumbnailFailedAt: null,
    });
    expect(await findImage(db, 'images/none.png')).toBeNull();
  });
};
