import { z } from '@hono/zod-openapi';
import { AuthorSchema } from '../../lib/author';
import { EXAMPLE_ID, EXAMPLE_TIME, IdParamsSchema } from '../../lib/openapi';
import { PageQuerySchema, pageSchema } from '../../lib/pagination';
import { boundedText } from '../../lib/text';

export const POSTS_PATH = '/api/v1/posts';
export const POST_BODY_MAX_CHARS = 5000;

export const PostImageSchema = z
  .object({
    url: z.url().openapi({ example: 'https://api.ublog.example/api/v1/images/u%2F0193%2Fa.png' }),
    thumbnail_url: z.url().nullable().openapi({
      description: 'A small WebP version; null until the image job has made it.',
      example: 'https://api.ublog.example/api/v1/images/u%2F0193%2Fa.png?variant=thumbnail',
    }),
    width: z.number().int().openapi({ example: 1200 }),
    height: z.number().int().openapi({ example: 800 }),
    content_type: z.string().openapi({ example: 'image/png' }),
  })
  .openapi('PostImage');

export const PostSchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_ID }),
    body: z.string().openapi({ example: 'Hello from the edge.' }),
    image: PostImageSchema.nullable(),
    author: AuthorSchema,
    like_count: z.number().int().min(0).openapi({ example: 3 }),
    liked_by_me: z.boolean().openapi({
      description: 'Whether the caller likes this post; always false for anonymous readers.',
      example: false,
    }),
    created_at: z.iso.datetime().openapi({ example: EXAMPLE_TIME }),
    updated_at: z.iso.datetime().openapi({ example: EXAMPLE_TIME }),
  })
  .openapi('Post');

export type Post = z.infer<typeof PostSchema>;

export const PostListSchema = pageSchema(PostSchema, 'PostList');

const username = (description: string) =>
  z.string().min(1).max(64).optional().openapi({ description, example: 'alice' });

export const ListPostsQuery = PageQuerySchema.extend({
  author: username('Only posts written by this user (case-insensitive).'),
  liked_by: username(
    'Only posts this user likes, most recently liked first (case-insensitive). Combines with `author`.',
  ),
});

export const PostIdParams = IdParamsSchema;

const postBody = boundedText(1, POST_BODY_MAX_CHARS).openapi({
  description: `The text, 1..${POST_BODY_MAX_CHARS} characters, stored as given (rendered by clients as plain text).`,
  example: 'Hello from the edge.',
});

const STRICT_NOTE =
  'Only the fields listed are accepted: any other field, including server-owned ones (`id`, `author`, `image`, `like_count`, `liked_by_me`, `created_at`, `updated_at`), is refused with 422.';

export const CreatePostBody = z
  .object({ body: postBody })
  .strict()
  .openapi('CreatePost', { description: STRICT_NOTE });

export const UpdatePostBody = z
  .object({ body: postBody })
  .strict()
  .openapi('UpdatePost', { description: STRICT_NOTE });

export const LikeStateSchema = z
  .object({
    like_count: z.number().int().min(0).openapi({ example: 4 }),
    liked_by_me: z.boolean().openapi({ example: true }),
  })
  .openapi('LikeState');

export const LikeSchema = z
  .object({
    username: z.string().openapi({ example: 'bob' }),
    avatar_url: z.url().nullable().openapi({ example: null }),
    liked_at: z.iso.datetime().openapi({ example: EXAMPLE_TIME }),
  })
  .openapi('Like');

export const LikeListSchema = pageSchema(LikeSchema, 'LikeList');
