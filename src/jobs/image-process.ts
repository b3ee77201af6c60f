import { eq } from 'drizzle-orm';
import { images } from '../db/schema';
import { thumbnailKeyFor } from '../lib/uploads';
import type { WorkerContext } from './context';
import type { JobOf } from './messages';

export const THUMBNAIL_MAX_PX = 320;
export const THUMBNAIL_TYPE = 'image/webp';

/**
 * Makes the thumbnail of an uploaded image with the Images binding (no codec in the bundle).
 * Idempotent: the thumbnail key is derived from the image key, so a redelivered message
 * overwrites the same object, and one whose thumbnail exists is skipped.
 */
export async function processImage(job: JobOf<'image.process'>, ctx: WorkerContext) {
  const { db, env } = ctx;
  const [image] = await db
    .select({ key: images.key, thumbnailKey: images.thumbnailKey })
    .from(images)
    .where(eq(images.key, job.image_key))
    .limit(1);
  // Deleted since the upload (a replaced avatar, a deleted post): nothing left to do.
  if (!image) return;
  if (image.thumbnailKey && (await env.BUCKET.head(image.thumbnailKey))) return;

  const original = await env.BUCKET.get(image.key);
  // The row outlived its object: the orphan sweep removes such rows.
  if (!original) return;

  const result = await env.IMAGES.input(original.body)
    .transform({ width: THUMBNAIL_MAX_PX, height: THUMBNAIL_MAX_PX, fit: 'scale-down' })
    .output({ format: THUMBNAIL_TYPE });
  const thumbnailKey = thumbnailKeyFor(image.key);
  // Buffered: R2 needs a known length, and a thumbnail is a few kilobytes.
  const bytes = await new Response(result.image()).arrayBuffer();
  await env.BUCKET.put(thumbnailKey, bytes, { httpMetadata: { contentType: THUMBNAIL_TYPE } });

  const updated = await db
    .update(images)
    .set({ thumbnailKey })
    .where(eq(images.key, image.key))
    .returning({ key: images.key });
  // The image was deleted while the thumbnail was being made: do not leave it behind.
  if (updated.length === 0) await env.BUCKET.delete(thumbnailKey);
}
