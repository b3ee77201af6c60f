import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { makeSeedThumbnails } from '../../scripts/lib/seed-thumbnails';
import { recordRun } from '../../src/cron/run';
import { SWEEP_JOB, sweepOrphanImages } from '../../src/cron/sweep-orphan-images';
import { workerContext } from '../../src/jobs';
import { sniffImage } from '../../src/lib/image-sniff';
import { newImageKey, thumbnailKeyFor } from '../../src/lib/uploads';
import { createUser } from '../support/direct-users';
import { makePng } from '../support/images';
import { eventually } from '../support/queue';

const HOUR = 60 * 60 * 1000;

async function imageWithoutThumbnail(key: string, ownerId: string, createdAt: number) {
  const bytes = await makePng(64, 48);
  await env.BUCKET.put(key, bytes, { httpMetadata: { contentType: 'image/png' } });
  await env.DB.prepare(
    `insert into images (key, owner_id, purpose, content_type, size, width, height, created_at)
     values (?, ?, 'post', 'image/png', ?, 64, 48, ?)`,
  )
    .bind(key, ownerId, bytes.byteLength, createdAt)
    .run();
  return key;
}

const thumbnailOf = async (key: string) =>
  (
    await env.DB.prepare('select thumbnail_key from images where key = ?')
      .bind(key)
      .first<{ thumbnail_key: string | null }>()
  )?.thumbnail_key ?? undefined;

const sweep = async () => recordRun(await workerContext(env), SWEEP_JOB, sweepOrphanImages);

describe('images without a thumbnail', () => {
  it('the daily sweep requeues those missing one after an hour, once, and they get one', async () => {
    const user = await createUser();
    const stale = await imageWithoutThumbnail(
      newImageKey(user.id, 'png'),
      user.id,
      Date.now() - 2 * HOUR,
    );
    const fresh = await imageWithoutThumbnail(newImageKey(user.id, 'png'), user.id, Date.now());
    const unavailable = await imageWithoutThumbnail(
      newImageKey(user.id, 'png'),
      user.id,
      Date.now() - 2 * HOUR,
    );
    await env.DB.prepare('update images set thumbnail_failed_at = ? where key = ?')
      .bind(Date.now() - HOUR, unavailable)
      .run();

    const first = JSON.parse((await sweep()).detail ?? '{}');
    expect(first.missing_thumbnails_requeued).toBe(1);
    // Run again before the queue has caught up: nothing is queued twice.
    const second = JSON.parse((await sweep()).detail ?? '{}');
    expect(second.missing_thumbnails_requeued).toBe(0);

    // The local queue delivers the job to this Worker's consumer, which makes the thumbnail.
    expect(await eventually(() => thumbnailOf(stale))).toBe(thumbnailKeyFor(stale));
    expect(await thumbnailOf(fresh)).toBeUndefined();
    expect(await thumbnailOf(unavailable)).toBeUndefined();
  });

  it('requeues at most the configured number per run, oldest first', async () => {
    const user = await createUser();
    // Far in the past, so these are the oldest images of the file whatever ran before.
    const oldest = await imageWithoutThumbnail(newImageKey(user.id, 'png'), user.id, 1_000);
    const older = await imageWithoutThumbnail(newImageKey(user.id, 'png'), user.id, 2_000);
    const bounded = (c: Parameters<typeof sweepOrphanImages>[0]) =>
      sweepOrphanImages(c, { maxThumbnailRequeues: 1 });
    const report = async () =>
      JSON.parse((await recordRun(await workerContext(env), SWEEP_JOB, bounded)).detail ?? '{}');
    expect((await report()).missing_thumbnails_requeued).toBe(1);
    const requeuedAt = (key: string) =>
      env.DB.prepare('select thumbnail_requeued_at as at from images where key = ?')
        .bind(key)
        .first<{ at: number | null }>();
    expect((await requeuedAt(oldest))?.at).toEqual(expect.any(Number));
    expect((await requeuedAt(older))?.at).toBeNull();
    expect((await report()).missing_thumbnails_requeued).toBe(1);
    expect((await requeuedAt(older))?.at).toEqual(expect.any(Number));
  });

  it('the seed makes real thumbnails for the demo images', async () => {
    const user = await createUser();
    const keys = [
      await imageWithoutThumbnail(`seed/${user.id}-a.png`, user.id, Date.UTC(2026, 0, 1)),
      await imageWithoutThumbnail(`seed/${user.id}-b.png`, user.id, Date.UTC(2026, 0, 2)),
    ];
    const made = await makeSeedThumbnails(env);
    expect(made).toBe(2);
    for (const key of keys) {
      expect(await thumbnailOf(key)).toBe(thumbnailKeyFor(key));
      const object = await env.BUCKET.get(thumbnailKeyFor(key));
      const bytes = new Uint8Array((await object?.arrayBuffer()) ?? new ArrayBuffer(0));
      expect(sniffImage(bytes)).toMatchObject({ contentType: 'image/webp', width: 64, height: 48 });
    }
    // Idempotent: a second start finds nothing left to do.
    expect(await makeSeedThumbnails(env)).toBe(0);
  });
});
