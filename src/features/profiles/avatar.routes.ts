import { createRoute } from '@hono/zod-openapi';
import { requireWriter } from '../../lib/auth';
import { EtagHeader, IfMatchHeaderSchema } from '../../lib/etag';
import { bearerSecurity, jsonWithHeaders, problemResponses } from '../../lib/openapi';
import { MAX_IMAGE_BYTES } from '../../lib/uploads';
import { limitWrites } from '../../lib/write-limit';
import { ProfileSchema } from './profiles.schemas';

const MIB = 1024 * 1024;

/**
 * The multipart body is declared as a plain OpenAPI schema, not a zod one: a zod schema would
 * make the router parse (and buffer) the whole form before the handler, defeating the
 * streaming size limit the upload code enforces.
 */
export const AvatarUploadBody = {
  required: true,
  description: `multipart/form-data with one file part \`file\`: a JPEG, PNG, WebP or GIF of at most ${MAX_IMAGE_BYTES / MIB} MiB. The type is decided from the bytes, never from the part's Content-Type or file name.`,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object' as const,
        required: ['file'],
        properties: {
          file: {
            type: 'string' as const,
            format: 'binary',
            description: 'The image (JPEG, PNG, WebP or GIF by its bytes).',
          },
        },
      },
      encoding: { file: { contentType: 'image/jpeg, image/png, image/webp, image/gif' } },
    },
  },
};

export const putMyAvatar = createRoute({
  method: 'put',
  path: '/me/avatar',
  operationId: 'putMyAvatar',
  tags: ['Profiles'],
  summary: 'Upload or replace your avatar',
  description: `Stores the image under a key the server chooses and makes it the caller's avatar; the previous avatar (and its thumbnail) is deleted. Anything that is not a complete JPEG, PNG, WebP or GIF by its bytes (SVG, HTML, PDF, a truncated file) is 415; a body over ${MAX_IMAGE_BYTES / MIB} MiB is 413, refused while it streams in. A thumbnail is made shortly after. With If-Match (the ETag of GET /profiles/{your username}) a stale ETag is 412.`,
  security: bearerSecurity,
  middleware: [requireWriter, limitWrites] as const,
  request: { headers: IfMatchHeaderSchema, body: AvatarUploadBody },
  responses: {
    200: jsonWithHeaders(ProfileSchema, 'The profile with its new avatar_url.', EtagHeader),
    ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 422, 429),
  },
});

export const deleteMyAvatar = createRoute({
  method: 'delete',
  path: '/me/avatar',
  operationId: 'deleteMyAvatar',
  tags: ['Profiles'],
  summary: 'Remove your avatar',
  description:
    "Clears the caller's avatar and deletes its stored image and thumbnail. Idempotent: 204 also when none is set. With If-Match (the ETag of GET /profiles/{your username}) a stale ETag is 412.",
  security: bearerSecurity,
  middleware: [requireWriter, limitWrites] as const,
  request: { headers: IfMatchHeaderSchema },
  responses: {
    204: { description: 'The avatar is gone.' },
    ...problemResponses(401, 403, 404, 409, 412, 422, 429),
  },
});
