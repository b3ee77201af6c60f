import { z } from '@hono/zod-openapi';
import { IMAGE_TYPES } from '../../lib/image-sniff';
import { THUMBNAIL_VARIANT } from '../../lib/uploads';

export const ImageKeyParams = z.object({
  key: z
    .string()
    .min(1)
    .max(512)
    .openapi({
      param: { name: 'key', in: 'path' },
      description:
        'The image key, as one URL-encoded path segment (its slashes sent as %2F). The `url` and `thumbnail_url` fields of posts and profiles are ready to use.',
      example: 'u/01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11/01938f10-2b3c-7d4e-8f50-6a7b8c9d0e1f.jpg',
    }),
});

export const ImageQuery = z.object({
  variant: z.enum([THUMBNAIL_VARIANT]).optional().openapi({
    description:
      'thumbnail: the small WebP (at most 320 px on its longer side), made shortly after upload; 404 `thumbnail_not_ready` until it exists, 404 `thumbnail_unavailable` when the image could not be decoded.',
    example: THUMBNAIL_VARIANT,
  }),
});

export const ImageRequestHeaders = z.object({
  'if-none-match': z.string().max(1024).optional().openapi({
    description:
      'An ETag (or a list of them) from an earlier response: 304 when the image is unchanged. A malformed value is ignored.',
    example: '"0b4e9b7f1c2d3e4f5a6b7c8d9e0f1a2b"',
  }),
  range: z.string().max(256).optional().openapi({
    description:
      'One byte range (`bytes=0-1023`, `bytes=1024-`, `bytes=-500`) for a 206 partial response. Other or unsatisfiable ranges are ignored and the whole image is sent.',
    example: 'bytes=0-1023',
  }),
});

// Binary bodies: no JSON schema applies, so the document says "bytes of this type".
const binary = { type: 'string' as const, format: 'binary' };
export const imageContent = Object.fromEntries(
  [...IMAGE_TYPES].map((type) => [type, { schema: binary }]),
) as Record<(typeof IMAGE_TYPES)[number], { schema: typeof binary }>;
