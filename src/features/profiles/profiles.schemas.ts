import { z } from '@hono/zod-openapi';
import { PageQuerySchema, pageSchema } from '../../lib/pagination';
import { boundedText } from '../../lib/text';

export const BIO_MAX_CHARS = 240;
export const CITY_MAX_CHARS = 30;
export const SEARCH_MAX_CHARS = 30;

export const ProfileSchema = z
  .object({
    username: z.string().openapi({ example: 'alice' }),
    bio: z.string().openapi({ example: 'Writes about the edge.' }),
    city: z.string().openapi({ example: 'Lisbon' }),
    avatar_url: z.url().nullable().openapi({
      description: 'The avatar image, or null when none is set.',
      example: null,
    }),
    avatar_thumbnail_url: z.url().nullable().openapi({
      description:
        'A small WebP of the avatar; null when no avatar is set, and for a short while after an upload until the thumbnail is made.',
      example: null,
    }),
    post_count: z.number().int().min(0).openapi({ example: 12 }),
    created_at: z.iso.datetime().openapi({ example: '2026-08-01T09:30:00.000Z' }),
  })
  .openapi('Profile');

export type Profile = z.infer<typeof ProfileSchema>;

export const ProfileListSchema = pageSchema(ProfileSchema, 'ProfileList');

export const ListProfilesQuery = PageQuerySchema.extend({
  q: z.string().min(1).max(SEARCH_MAX_CHARS).optional().openapi({
    description: 'Only usernames that start with this text (case-insensitive).',
    example: 'ali',
  }),
});

export const UsernameParams = z.object({
  username: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'username', in: 'path' }, example: 'alice' }),
});

export const UpdateProfileBody = z
  .object({
    bio: boundedText(0, BIO_MAX_CHARS)
      .optional()
      .openapi({
        description: `0..${BIO_MAX_CHARS} characters.`,
        example: 'Writes about the edge.',
      }),
    city: boundedText(0, CITY_MAX_CHARS)
      .optional()
      .openapi({ description: `0..${CITY_MAX_CHARS} characters.`, example: 'Lisbon' }),
  })
  .strict()
  .openapi('UpdateProfile', {
    description:
      'Only `bio` and `city` are accepted: any other field, including server-owned ones (`username`, `avatar_url`, `post_count`, `created_at`), is refused with 422. The username changes through PATCH /users/me, the avatar through PUT /profiles/me/avatar.',
  });
