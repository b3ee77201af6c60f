import { z } from '@hono/zod-openapi';
import { avatarUrl } from './media-urls';

export const AuthorSchema = z
  .object({
    username: z.string().openapi({ example: 'alice' }),
    avatar_url: z.url().nullable().openapi({
      description: "The author's avatar, or null when none is set.",
      example: 'https://api.ublog.example/api/v1/images/u%2F0193...%2Favatar.webp',
    }),
  })
  .openapi('Author', { description: 'Who wrote it, as shown next to the content.' });

export type Author = z.infer<typeof AuthorSchema>;

export const authorOf = (origin: string, username: string, avatarKey: string | null): Author => ({
  username,
  avatar_url: avatarUrl(origin, avatarKey),
});
