import { z } from '@hono/zod-openapi';
import { AuthorSchema } from '../../lib/author';
import { PageQuerySchema, pageSchema } from '../../lib/pagination';
import { boundedText } from '../../lib/text';

export const STATUS_MAX_CHARS = 240;

const ID_EXAMPLE = '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11';
const TIME_EXAMPLE = '2026-11-23T12:00:00.000Z';

export const StatusSchema = z
  .object({
    id: z.string().openapi({ example: ID_EXAMPLE }),
    content: z.string().openapi({ example: 'Shipping the like counter today.' }),
    author: AuthorSchema,
    created_at: z.iso.datetime().openapi({ example: TIME_EXAMPLE }),
    updated_at: z.iso.datetime().openapi({ example: TIME_EXAMPLE }),
  })
  .openapi('Status');

export type Status = z.infer<typeof StatusSchema>;

export const StatusListSchema = pageSchema(StatusSchema, 'StatusList');

export const ListStatusesQuery = PageQuerySchema.extend({
  username: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "Only this user's statuses (case-insensitive).", example: 'alice' }),
});

export const StatusIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: ID_EXAMPLE }),
});

const content = boundedText(1, STATUS_MAX_CHARS).openapi({
  description: `1..${STATUS_MAX_CHARS} characters, stored as given.`,
  example: 'Shipping the like counter today.',
});

const STRICT_NOTE =
  'Only `content` is accepted: any other field, including server-owned ones (`id`, `author`, `created_at`, `updated_at`), is refused with 422.';

export const CreateStatusBody = z
  .object({ content })
  .strict()
  .openapi('CreateStatus', { description: STRICT_NOTE });

export const UpdateStatusBody = z
  .object({ content })
  .strict()
  .openapi('UpdateStatus', { description: STRICT_NOTE });
