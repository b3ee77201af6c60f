import { createDatabase } from '../../src/db/client';
import type { WorkerContext } from '../../src/jobs/context';
import { PermanentJobError } from '../../src/jobs/errors';
import { processImage } from '../../src/jobs/image-process';

/** What making thumbnails needs: the local D1, R2 and Images bindings (wrangler's proxy or a test). */
export interface ThumbnailBindings {
  DB: D1Database;
  BUCKET: R2Bucket;
  IMAGES: ImagesBinding;
}

const CONCURRENCY = 4;

/**
 * Makes the thumbnails of the demo images that have none, through the Worker's own
 * image.process job (Images binding, R2, the images row), a few at a time. Idempotent: an
 * image with a thumbnail, or one marked undecodable, is skipped. Returns how many were made.
 */
export async function makeSeedThumbnails(
  env: ThumbnailBindings,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<number> {
  const { results } = await env.DB.prepare(
    `select key from images
     where key like 'seed/%' and thumbnail_key is null and thumbnail_failed_at is null
     order by key`,
  ).all<{ key: string }>();
  // The job only touches these bindings.
  const ctx = {
    env: env as unknown as WorkerContext['env'],
    db: createDatabase(env.DB),
    now: Date.now,
  };
  let next = 0;
  let done = 0;
  let made = 0;
  const worker = async () => {
    for (let i = next++; i < results.length; i = next++) {
      try {
        await processImage({ type: 'image.process', image_key: results[i]?.key ?? '' }, ctx);
        made++;
      } catch (err) {
        // Marked as having no thumbnail: the rest still get theirs.
        if (!(err instanceof PermanentJobError)) throw err;
      }
      onProgress(++done, results.length);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return made;
}
