import { z } from '@hono/zod-openapi';
import { IMAGE_TYPES } from '../../lib/image-sniff';
import { MAX_IMAGE_BYTES } from '../../lib/uploads';
import { POST_BODY_MAX_CHARS } from './posts.schemas';

const MIB = 1024 * 1024;
export const POST_IMAGE_FIELD = 'image';

/**
 * POST /posts as multipart/form-data. Documentation only: the router validates JSON bodies and
 * leaves multipart ones to createPostFromForm, which streams the form with its size limit
 * instead of buffering it whole.
 */
export const CreatePostMultipart = {
  schema: z.strictObject({
    body: z
      .string()
      .min(1)
      .max(POST_BODY_MAX_CHARS)
      .openapi({
        description: `The text, 1..${POST_BODY_MAX_CHARS} characters.`,
        example: 'Sunset from the pier.',
      }),
    [POST_IMAGE_FIELD]: z
      .string()
      .optional()
      .openapi({
        format: 'binary',
        description: `Optional: a JPEG, PNG, WebP or GIF (decided from the bytes) of at most ${MAX_IMAGE_BYTES / MIB} MiB.`,
      }),
  }),
  encoding: { [POST_IMAGE_FIELD]: { contentType: IMAGE_TYPES.join(', ') } },
};
