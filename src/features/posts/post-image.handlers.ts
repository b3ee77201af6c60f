import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { currentUser } from '../../lib/auth';
import { sha256Hex } from '../../lib/digest';
import { respondCreated } from '../../lib/idempotency';
import { originOf } from '../../lib/media-urls';
import { jsonPointer, unprocessable } from '../../lib/problem';
import { parseRequestPart } from '../../lib/request-validation';
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

/**
 * The text fields of the form, checked by the same strict schema as the JSON body and
 * reported exactly as the JSON body is.
 */
function postFields(form: FormData) {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    if (name === POST_IMAGE_FIELD) continue;
    if (name in fields) {
      throw unprocessable('The request has an invalid field.', 'validation_failed', {
        errors: [{ path: jsonPointer(['body', name]), message: `${name} is sent more than once` }],
      });
    }
    fields[name] = value;
  }
  return parseRequestPart(CreatePostBody, fields, 'form');
}

/**
 * POST /posts with multipart/form-data (`body`, optional `image`); the query and headers have
 * been checked by the router. The image is stored first, then its row, the post and the
 * author's post_count land in one batch; the thumbnail is queued after.
 */
export async function createPostFromForm(c: Context<AppEnv>, idempotencyKey: string | undefined) {
  const auth = currentUser(c);
  const form = await readMultipart(c.req.raw);
  const { body } = await postFields(form);
  const upload: ImageUpload | null = form.has(POST_IMAGE_FIELD)
    ? await takeImage(form, POST_IMAGE_FIELD)
    : null;

  const db = c.get('db');
  const origin = originOf(c);
  return respondCreated(c, {
    key: idempotencyKey,
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
}
