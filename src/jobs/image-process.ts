import { eq } from 'drizzle-orm';
import { images } from '../db/schema';
import { THUMBNAIL_TYPE, thumbnailKeyFor } from '../lib/uploads';
import type { WorkerContext } from './context';
import { firstLine, PermanentJobError } from './errors';
import type { JobOf } from './messages';

export const THUMBNAIL_MAX_PX = 320;
/**
 * What the Images binding decodes at most (Cloudflare Images limits): a longer side of
 * 12,000 px and 100 megapixels. Uploads may be larger (16,384 px); such an image keeps no
 * thumbnail rather than failing five times.
 */
export const DECODER_LIMITS = { maxSide: 12_000, maxPixels: 100_000_000 };

// A 1 x 1 GIF the binding must always be able to decode: the control that tells a broken
// image from a broken binding.
const CONTROL_IMAGE = Uint8Array.from(
  atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'),
  (ch) => ch.charCodeAt(0),
);

type ImageContext = Pick<WorkerContext, 'env' | 'db' | 'now'>;

async function makeThumbnail(imagesBinding: ImagesBinding, input: ReadableStream<Uint8Array>) {
  const result = await imagesBinding
    .input(input)
    .transform({ width: THUMBNAIL_MAX_PX, height: THUMBNAIL_MAX_PX, fit: 'scale-down' })
    .output({ format: THUMBNAIL_TYPE });
  // Buffered: R2 needs a known length, and a thumbnail is a few kilobytes.
  return new Response(result.image()).arrayBuffer();
}

async function bindingWorks(imagesBinding: ImagesBinding): Promise<boolean> {
  try {
    await makeThumbnail(imagesBinding, new Blob([CONTROL_IMAGE]).stream());
    return true;
  } catch {
    return false;
  }
}

/** Marks the image as having no thumbnail for good, and fails the job without a retry. */
async function giveUp(ctx: ImageContext, key: string, reason: string): Promise<never> {
  await ctx.db
    .update(images)
    .set({ thumbnailFailedAt: new Date(ctx.now()) })
    .where(eq(images.key, key));
  throw new PermanentJobError(`${reason}; the image keeps no thumbnail.`);
}

/**
 * Makes the thumbnail of an uploaded image with the Images binding (no codec in the bundle).
 * Idempotent: the thumbnail key is derived from the image key, so a redelivered message
 * overwrites the same object, and one whose thumbnail exists is skipped. An image that cannot
 * be decoded (over the decoder's limits, or refused while the binding decodes a control image)
 * is marked as having no thumbnail and fails permanently; a failing binding is retried.
 */
export async function processImage(job: JobOf<'image.process'>, ctx: ImageContext) {
  const { db, env } = ctx;
  const [image] = await db
    .select({
      key: images.key,
      thumbnailKey: images.thumbnailKey,
      thumbnailFailedAt: images.thumbnailFailedAt,
      width: images.width,
      height: images.height,
    })
    .from(images)
    .where(eq(images.key, job.image_key))
    .limit(1);
  // Deleted since the upload (a replaced avatar, a deleted post), or known to be undecodable.
  if (!image || image.thumbnailFailedAt) return;
  if (image.thumbnailKey && (await env.BUCKET.head(image.thumbnailKey))) return;

  const { maxSide, maxPixels } = DECODER_LIMITS;
  if (Math.max(image.width, image.height) > maxSide || image.width * image.height > maxPixels) {
    await giveUp(
      ctx,
      image.key,
      `${image.width} x ${image.height} px is over the decoder limits (${maxSide} px a side, ${maxPixels / 1e6} megapixels)`,
    );
  }

  const original = await env.BUCKET.get(image.key);
  // The row outlived its object: the orphan sweep removes such rows.
  if (!original) return;

  let bytes: ArrayBuffer;
  try {
    bytes = await makeThumbnail(env.IMAGES, original.body);
  } catch (err) {
    if (!(await bindingWorks(env.IMAGES))) throw err;
    return giveUp(ctx, image.key, `the Images binding cannot decode it (${firstLine(err)})`);
  }
  const thumbnailKey = thumbnailKeyFor(image.key);
  await env.BUCKET.put(thumbnailKey, bytes, { httpMetadata: { contentType: THUMBNAIL_TYPE } });

  const updated = await db
    .update(images)
    .set({ thumbnailKey })
    .where(eq(images.key, image.key))
    .returning({ key: images.key });
  // The image was deleted while the thumbnail was being made: do not leave it behind.
  if (updated.length === 0) await env.BUCKET.delete(thumbnailKey);
}
