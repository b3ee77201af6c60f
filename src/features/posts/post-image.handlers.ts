import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../env';
import { currentUser } from '../../lib/auth';
import { sha256Hex } from '../../lib/digest';
import { IdempotencyKeyHeaderSchema, respondCreated } from '../../lib/idempotency';
import { originOf } from '../../lib/media-urls';
import { jsonPointer, unprocessable } from '../../lib/problem';
import { validationHook } from '../../lib/router';
import {
  deleteImageObjects,
  type ImageUpload,
  queueImageProcessing,
  readMultipart,
  storeImage,
  takeImage,
} from '../../lib/uploads';
import { deleteImageUnlessPosted } from './post-image.queries';
import { POST_IMAGE_FIELD } from './post-image.schemas';
import { createPost, createPostStatements } from './posts.queries';
import { CreatePostBody, POSTS_PATH } from './posts.schemas';
import { renderPost } from './posts.view';

const MULTIPART = /^multipart\/form-data\s*;/i;

const invalid = (errors: { path: string; message: string }[]) =>
  unprocessable(
    `The request has ${errors.length === 1 ? 'an invalid field' : `${errors.length} invalid fields`}.`,
    'validation_failed',
    { errors },
  );

/**
 * The text fields of the form, checked by the same strict schema as the JSON body and
 * reported exactly as the JSON validator reports them.
 */
function postFields(c: Context<AppEnv>, form: FormData) {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    if (name === POST_IMAGE_FIELD) continue;
    if (name in fields)
      throw invalid([{ path: jsonPointer(['body', name]), message: 'Sent more than once' }]);
    fields[name] = value;
  }
  const parsed = CreatePostBody.safeParse(fields);
  if (!parsed.success) {
    // Throws the 422, with the same paths and messages as the JSON validator.
    validationHook({ success: false, error: parsed.error, target: 'form' }, c);
    throw invalid([{ path: '/body', message: 'Invalid form fields' }]);
  }
  return parsed.data;
}

/**
 * POST /posts with multipart/form-data (`body`, optional `image`). Runs as route middleware,
 * ahead of the JSON validator, and answers multipart requests itself; JSON requests go on to
 * the JSON handler. The image is stored first, then its row, the post and the author's
 * post_count land in one batch; the thumbnail is queued after.
 */
export const createPostWithImage = createMiddleware<AppEnv>(async (c, next) => {
  if (!MULTIPART.test(c.req.header('Content-Type') ?? '')) return next();
  const auth = currentUser(c);
  const idempotency = IdempotencyKeyHeaderSchema.safeParse({
    'idempotency-key': c.req.header('Idempotency-Key'),
  });
  if (!idempotency.success) {
    throw invalid([
      {
        path: '/headers/idempotency-key',
        message: idempotency.error.issues[0]?.message ?? 'Invalid',
      },
    ]);
  }
  const form = await readMultipart(c.req.raw);
  const { body } = postFields(c, form);
  const upload: ImageUpload | null = form.has(POST_IMAGE_FIELD)
    ? await takeImage(form, POST_IMAGE_FIELD)
    : null;

  const db = c.get('db');
  const origin = originOf(c);
  return respondCreated(c, {
    key: idempotency.data['idempotency-key'],
    request: { body, image_sha256: upload ? await sha256Hex(upload.bytes) : null },
    collectionPath: POSTS_PATH,
    create: async (id) => {
      const now = Date.now();
      if (!upload) {
        const row = await createPost(db, { id, authorId: auth.userId, body, now });
        if (!row) throw new Error('The new post was not readable in its own batch.');
        return renderPost(origin, row);
      }
      const post = { id, authorId: auth.userId, body, now };
      const { image, results } = await storeImage(
        { bucket: c.env.BUCKET, db, ownerId: auth.userId, purpose: 'post', image: upload, now },
        (stored) => ({
          ...createPostStatements(db, { ...post, imageKey: stored.key }),
          unusedImage: deleteImageUnlessPosted(db, stored.key),
        }),
      );
      const [row] = results.post;
      if (!row) throw new Error('The new post was not readable in its own batch.');
      if (row.imageKey === image.key) await queueImageProcessing(c.env.JOBS, image.key);
      else await deleteImageObjects(c.env.BUCKET, [image.key]);
      return renderPost(origin, row);
    },
  });
});
