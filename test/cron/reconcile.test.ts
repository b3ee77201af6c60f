import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { RECONCILE_JOB } from '../../src/cron/reconcile-counters';
import { createUser } from '../support/direct-users';
import { insertLike, insertPost, lastRun, runCron, tableSnapshot } from './support';

const RECONCILE_CRON = '45 3 * * *';

const likeCount = async (postId: string) =>
  (
    await env.DB.prepare('select like_count from posts where id = ?')
      .bind(postId)
      .first<{ like_count: number }>()
  )?.like_count;
const postCount = async (userId: string) =>
  (
    await env.DB.prepare('select post_count from profiles where user_id = ?')
      .bind(userId)
      .first<{ post_count: number }>()
  )?.post_count;

describe('counter reconciliation', () => {
  it('repairs drifted like and post counters, reports the drift, and changes nothing on a second run', async () => {
    const [author, fan1, fan2] = [await createUser(), await createUser(), await createUser()];
    const now = Date.now();
    // Counters written by hand: 0 instead of 2, 5 instead of 0, and one that is right.
    const drifted = await insertPost(author.id, now, 0);
    const inflated = await insertPost(author.id, now + 1, 5);
    const correct = await insertPost(fan1.id, now + 2, 1);
    await insertLike(drifted, fan1.id, now);
    await insertLike(drifted, fan2.id, now);
    await insertLike(correct, author.id, now);
    // The profiles say 0 posts; author has 2, fan1 has 1, fan2 has 0 (right already).

    await runCron(RECONCILE_CRON);

    expect(await likeCount(drifted)).toBe(2);
    expect(await likeCount(inflated)).toBe(0);
    expect(await likeCount(correct)).toBe(1);
    expect(await postCount(author.id)).toBe(2);
    expect(await postCount(fan1.id)).toBe(1);
    expect(await postCount(fan2.id)).toBe(0);
    const run = await lastRun(RECONCILE_JOB);
    expect(run).toMatchObject({ outcome: 'ok', rows_touched: 4 });
    expect(run?.detail).toBe('drift repaired: 2 posts.like_count, 2 profiles.post_count');

    const posts = await tableSnapshot('posts');
    const profiles = await tableSnapshot('profiles');
    await runCron(RECONCILE_CRON);
    expect(await lastRun(RECONCILE_JOB)).toMatchObject({ outcome: 'ok', rows_touched: 0 });
    expect(await tableSnapshot('posts')).toEqual(posts);
    expect(await tableSnapshot('profiles')).toEqual(profiles);
  });
});
