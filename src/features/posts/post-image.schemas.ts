import { IMAGE_TYPES } from '../../lib/image-sniff';
import { MAX_IMAGE_BYTES } from '../../lib/uploads';
import { POST_BODY_MAX_CHARS } from './posts.schemas';

const MIB = 1024 * 1024;
export const POST_IMAGE_FIELD = 'image';

/**
 * POST /posts as multipart/form-data. A plain OpenAPI schema rather than a zod one: a zod
 * schema would make the router parse (and buffer) the whole form before any handler runs,
 * defeating the streaming size limit of the upload code.
 */
export const CreatePostMultipart = {
  schema: {
    type: 'object' as const,
    required: ['body'],
    additionalProperties: false,
    properties: {
      body: {
        type: 'string' as const,
        minLength: 1,
        maxLength: POST_BODY_MAX_CHARS,
        description: `The text, 1..${POST_BODY_MAX_CHARS} characters.`,
        example: 'Sunset from the pier.',
      },
      [POST_IMAGE_FIELD]: {
        type: 'string' as const,
        format: 'binary',
        description: `Optional: a JPEG, PNG, WebP or GIF (decided from the bytes) of at most ${MAX_IMAGE_BYTES / MIB} MiB.`,
      },
    },
  },
  encoding: { [POST_IMAGE_FIELD]: { contentType: IMAGE_TYPES.join(', ') } },
};
