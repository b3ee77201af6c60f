import { batchNamed, type NamedResults, type NamedStatements } from '../db/batch';
import type { Database } from '../db/client';
import { images } from '../db/schema';
import type { JobMessage } from '../jobs/messages';
import { newId } from './ids';
import { type SniffedImage, sniffImage } from './image-sniff';
import { logError } from './log';
import { isMultipart } from './media-type';
import { badRequest, payloadTooLarge, unprocessable, unsupportedMediaType } from './problem';

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
// Room for the form's other fields (a post body of up to 5,000 characters) and its framing.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
export const MAX_MULTIPART_BYTES = MAX_IMAGE_BYTES + MULTIPART_OVERHEAD_BYTES;

/** `GET /images/{key}?variant=thumbnail` (URLs are built by ./media-urls). */
export const THUMBNAIL_VARIANT = 'thumbnail';
/** Every thumbnail is a WebP. */
export const THUMBNAIL_TYPE = 'image/webp';

/** Every object of a user lives under this prefix, so an account's files can be listed. */
export const userImagePrefix = (userId: string) => `u/${userId}/`;
export const newImageKey = (userId: string, ext: string, now = Date.now()) =>
  `${userImagePrefix(userId)}${newId(now)}.${ext}`;
/** Deterministic, so a redelivered image.process message overwrites rather than duplicates. */
export const thumbnailKeyFor = (key: string) => `${key.replace(/\.[a-z0-9]+$/, '')}.thumb.webp`;

export const uploadTooLarge = () =>
  payloadTooLarge(
    `An upload may be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MiB.`,
    'upload_too_large',
  );

/**
 * Parses a multipart/form-data body while counting its bytes: once the count passes the
 * limit the stream is errored, which cancels the request body, so an oversized upload is
 * refused with 413 without ever being held in memory whole.
 */
export async function readMultipart(req: Request, maxBytes = MAX_MULTIPART_BYTES) {
  const contentType = req.headers.get('Content-Type') ?? '';
  if (!isMultipart(contentType)) {
    throw unsupportedMediaType('Send the upload as multipart/form-data.', 'multipart_required');
  }
  const declared = Number(req.headers.get('Content-Length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw uploadTooLarge();
  if (!req.body) throw badRequest('The multipart body is empty.', 'malformed_body');

  let received = 0;
  let exceeded = false;
  const limited = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > maxBytes) {
          exceeded = true;
          controller.error(new Error('upload too large'));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  try {
    return await new Response(limited, { headers: { 'Content-Type': contentType } }).formData();
  } catch {
    if (exceeded) throw uploadTooLarge();
    throw badRequest('The multipart body could not be parsed.', 'malformed_body');
  }
}

export interface ImageUpload extends SniffedImage {
  bytes: Uint8Array;
}

/** Takes the file field `field` from a parsed form and checks its size and its bytes. */
export async function takeImage(form: FormData, field: string): Promise<ImageUpload> {
  const value = form.get(field);
  if (!(value instanceof File)) {
    throw unprocessable('The request has an invalid field.', 'validation_failed', {
      errors: [
        { path: `/body/${field}`, message: 'Required: an image file part (with a filename)' },
      ],
    });
  }
  if (value.size > MAX_IMAGE_BYTES) throw uploadTooLarge();
  const bytes = new Uint8Array(await value.arrayBuffer());
  const sniffed = sniffImage(bytes);
  if (!sniffed) {
    throw unsupportedMediaType(
      'The file is not a complete JPEG, PNG, WebP or GIF image (judged by its bytes).',
      'unsupported_image_type',
    );
  }
  return { ...sniffed, bytes };
}

export interface StoredImage {
  key: string;
  ownerId: string;
  purpose: 'post' | 'avatar';
  contentType: string;
  size: number;
  width: number;
  height: number;
  createdAt: Date;
}

export interface StoreImageInput {
  bucket: R2Bucket;
  db: Database;
  ownerId: string;
  purpose: StoredImage['purpose'];
  image: ImageUpload;
  now?: number;
}

/**
 * Writes the object, then the images row together with `statements` (the rows that point at
 * it) in one batch. If the batch fails the object is deleted again, so a row never points at
 * nothing; a crash between the two leaves an object without a row, which the orphan sweep
 * removes after a day.
 */
export async function storeImage<T extends NamedStatements>(
  input: StoreImageInput,
  statements: (image: StoredImage) => T = () => ({}) as T,
): Promise<{ image: StoredImage; results: NamedResults<T> }> {
  const now = input.now ?? Date.now();
  const image: StoredImage = {
    key: newImageKey(input.ownerId, input.image.ext, now),
    ownerId: input.ownerId,
    purpose: input.purpose,
    contentType: input.image.contentType,
    size: input.image.bytes.byteLength,
    width: input.image.width,
    height: input.image.height,
    createdAt: new Date(now),
  };
  await input.bucket.put(image.key, input.image.bytes, {
    httpMetadata: { contentType: image.contentType },
  });
  let results: NamedResults<T>;
  try {
    // The images row first, then the caller's statements.
    results = await batchNamed(input.db, {
      imageRow: input.db.insert(images).values(image),
      ...statements(image),
    });
  } catch (err) {
    await input.bucket.delete(image.key).catch((cleanupErr: unknown) => {
      logError({ msg: 'image cleanup failed', key: image.key }, cleanupErr);
    });
    throw err;
  }
  return { image, results };
}

/** The R2 keys an images row owns: the original and, once made, its thumbnail. */
export const objectKeysOf = (rows: { key: string; thumbnailKey: string | null }[]) =>
  rows.flatMap((r) => (r.thumbnailKey ? [r.key, r.thumbnailKey] : [r.key]));

/**
 * Deletes objects whose rows are already gone. Failure is logged, not thrown: the caller's
 * change has landed, and the orphan sweep removes whatever is left behind.
 */
export async function deleteImageObjects(bucket: R2Bucket, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  try {
    await bucket.delete(keys);
  } catch (err) {
    logError({ msg: 'deleting image objects failed; the orphan sweep will retry', keys }, err);
  }
}

/**
 * Queues the thumbnail job. A failed send is logged rather than failing an upload that has
 * landed: the image is then served without a thumbnail (thumbnail_url stays null).
 */
export async function queueImageProcessing(jobs: Queue, key: string): Promise<void> {
  const message: JobMessage = { type: 'image.process', image_key: key };
  try {
    await jobs.send(message);
  } catch (err) {
    logError({ msg: 'queueing image.process failed', key }, err);
  }
}
