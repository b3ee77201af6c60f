import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { recordRun } from '../../src/cron/run';
import {
  ORPHAN_MIN_AGE_MS,
  SWEEP_JOB,
  sweepOrphanImages,
} from '../../src/cron/sweep-orphan-images';
import { createDatabase } from '../../src/db/client';
import { workerContext } from '../../src/jobs';
import { sniffImage } from '../../src/lib/image-sniff';
import { newImageKey, storeImage, thumbnailKeyFor } from '../../src/lib/uploads';
import { createUser } from '../support/direct-users';
import { GIF_3X2, JPEG_3X2 } from '../support/images';
import { insertPost, lastRun, runCron } from './support';

const SWEEP_CRON = '30 3 * * *';

/** The sweep as it will run a day and an hour from now, when today's uploads count as old. */
const sweepTomorrow = async (limits?: { pageSize: number; maxPages: number }) => {
  const later = Date.now() + ORPHAN_MIN_AGE_MS + 60 * 60 * 1000;
  const ctx = { ...(await workerContext(env)), now: () => later };
  return recordRun(ctx, SWEEP_JOB, (c) => sweepOrphanImages(c, limits));
};

const allKeys = async () =>
  (await env.BUCKET.list({ limit: 1000 })).objects.map((o) => o.key).sort();
const imageRow = (key: string) =>
  env.DB.prepare('select key, thumbnail_key from images where key = ?')
    .bind(key)
    .first<{ key: string; thumbnail_key: string | null }>();

async function uploaded(ownerId: string, bytes = JPEG_3X2) {
  const sniffed = sniffImage(bytes);
  if (!sniffed) throw new Error('bad fixture');
  const { image } = await storeImage({
    bucket: env.BUCKET,
    db: createDatabase(env.DB),
    ownerId,
    purpose: 'post',
    image: { ...sniffed, bytes },
  });
  return image;
}

async function rowWithoutObject(ownerId: string) {
  const key = newImageKey(ownerId, 'gif');
  await env.DB.prepare(
    `insert into images (key, owner_id, purpose, content_type, size, width, height, created_at)
     values (?, ?, 'avatar', 'image/gif', 43, 3, 2, ?)`,
  )
    .bind(key, ownerId, Date.now())
    .run();
  return key;
}

describe('orphaned-image sweep', () => {
  it('keeps objects with rows, removes old objects without, and repairs rows without objects', async () => {
    const user = await createUser();
    const kept = await uploaded(user.id);
    const orphan = newImageKey(user.id, 'png');
    await env.BUCKET.put(orphan, GIF_3X2);
    const vanished = await rowWithoutObject(user.id);
    const postId = await insertPost(user.id, Date.now());
    await env.DB.batch([
      env.DB.prepare('update posts set image_key = ? where id = ?').bind(vanished, postId),
      env.DB.prepare('update profiles set avatar_key = ? where user_id = ?').bind(
        vanished,
        user.id,
      ),
    ]);
    // A row whose thumbnail object is gone: forgotten and queued again.
    const lostThumb = await uploaded(user.id, GIF_3X2);
    await env.DB.prepare('update images set thumbnail_key = ? where key = ?')
      .bind(thumbnailKeyFor(lostThumb.key), lostThumb.key)
      .run();

    const result = await sweepTomorrow();

    const keys = await allKeys();
    expect(keys).toContain(kept.key);
    expect(keys).toContain(lostThumb.key);
    expect(keys).not.toContain(orphan);
    expect(await imageRow(kept.key)).not.toBeNull();
    expect(await imageRow(vanished)).toBeNull();
    const post = await env.DB.prepare('select image_key from posts where id = ?')
      .bind(postId)
      .first();
    expect(post?.image_key).toBeNull();
    const profile = await env.DB.prepare('select avatar_key from profiles where user_id = ?')
      .bind(user.id)
      .first();
    expect(profile?.avatar_key).toBeNull();
    expect((await imageRow(lostThumb.key))?.thumbnail_key).toBeNull();
    expect(JSON.parse(result.detail ?? '{}')).toMatchObject({
      objects_deleted: 1,
      rows_removed: 1,
      thumbnails_requeued: 1,
      // `kept` never had its thumbnail job (stored directly): queued now that it is over an hour old.
      missing_thumbnails_requeued: 1,
      resume_after: null,
    });
    expect(await lastRun(SWEEP_JOB)).toMatchObject({ outcome: 'ok', rows_touched: 4 });

    // The second run finds nothing left to do.
    const again = await sweepTomorrow();
    expect(again.rowsTouched).toBe(0);
    expect(await allKeys()).toEqual(keys);
  });

  it('never removes an object younger than a day (an upload may be mid-flight)', async () => {
    const user = await createUser();
    const fresh = newImageKey(user.id, 'jpg');
    await env.BUCKET.put(fresh, JPEG_3X2);
    await runCron(SWEEP_CRON);
    await runCron(SWEEP_CRON);
    expect(await allKeys()).toContain(fresh);
    expect(await lastRun(SWEEP_JOB)).toMatchObject({ outcome: 'ok', rows_touched: 0 });
  });

  it('works in bounded pages and resumes where the last run stopped', async () => {
    const user = await createUser();
    const withRows = [await uploaded(user.id), await uploaded(user.id), await uploaded(user.id)];
    const orphans = [newImageKey(user.id, 'png'), newImageKey(user.id, 'png')];
    for (const key of orphans) await env.BUCKET.put(key, GIF_3X2);
    const scannedBefore = (await allKeys()).length;

    const limits = { pageSize: 2, maxPages: 2 };
    const reports = [];
    for (let run = 0; run < 10; run++) {
      const report = JSON.parse((await sweepTomorrow(limits)).detail ?? '{}');
      reports.push(report);
      expect(report.objects_scanned).toBeLessThanOrEqual(limits.pageSize * limits.maxPages);
      if (report.resume_after === null) break;
    }
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.reduce((n, r) => n + r.objects_scanned, 0)).toBe(scannedBefore);
    const keys = await allKeys();
    for (const key of orphans) expect(keys).not.toContain(key);
    for (const image of withRows) {
      expect(keys).toContain(image.key);
      expect(await imageRow(image.key)).not.toBeNull();
    }
  });
});
