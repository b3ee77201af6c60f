import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../../lib/openapi';
import { ImageKeyParams, ImageQuery, ImageRequestHeaders, imageContent } from './images.schemas';

const str = (description: string, example: string) => ({
  description,
  schema: { type: 'string' as const, example },
});

const imageHeaders = {
  ETag: str(
    "The stored object's entity tag; send it back in If-None-Match.",
    '"0b4e9b7f1c2d3e4f5a6b7c8d9e0f1a2b"',
  ),
  'Cache-Control': str(
    'Keys never change content, so images may be cached for a year.',
    'public, max-age=31536000, immutable',
  ),
  'Content-Disposition': str('Shown in place, never as a download prompt.', 'inline'),
  'X-Content-Type-Options': str(
    'The type is the one sniffed at upload; browsers must not guess another.',
    'nosniff',
  ),
  'Accept-Ranges': str('Byte ranges are supported.', 'bytes'),
  'Content-Length': {
    description: 'Bytes in this response.',
    schema: { type: 'integer' as const, example: 48213 },
  },
};

export const getImage = createRoute({
  method: 'get',
  path: '/{key}',
  operationId: 'getImage',
  tags: ['Images'],
  summary: 'Download an image or its thumbnail',
  description:
    'Streams the bytes from storage with the content type decided from the bytes at upload (JPEG, PNG, WebP or GIF). Supports `If-None-Match` (304) and a single `Range` (206). `?variant=thumbnail` serves the small WebP: 404 `thumbnail_not_ready` until the image job has made it, 404 `thumbnail_unavailable` for good when the image could not be decoded.',
  security: [],
  request: { params: ImageKeyParams, query: ImageQuery, headers: ImageRequestHeaders },
  responses: {
    200: { description: 'The image.', headers: imageHeaders, content: imageContent },
    206: {
      description: 'The requested byte range of the image.',
      headers: {
        ...imageHeaders,
        'Content-Range': str('The range sent, and the full size.', 'bytes 0-1023/48213'),
      },
      content: imageContent,
    },
    304: {
      description: 'Not modified: the If-None-Match ETag is current. No body.',
      headers: { ETag: imageHeaders.ETag, 'Cache-Control': imageHeaders['Cache-Control'] },
    },
    ...problemResponses(404, 422),
    404: {
      ...problemResponses(404)[404],
      description:
        'No image has this key (`image_not_found`); with `?variant=thumbnail`, the thumbnail is not made yet (`thumbnail_not_ready`, soon a 200) or never will be because the image could not be decoded (`thumbnail_unavailable`: use the original).',
    },
  },
});
