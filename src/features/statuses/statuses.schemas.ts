import { z } from '@hono/zod-openapi';
import { AuthorSchema } from '../../lib/author';
import { EXAMPLE_ID, EXAMPLE_TIME, IdParamsSchema } from '../../lib/openapi';
import { PageQuerySchema, pageSchema } from '../../lib/pagination';
import { boundedText } from '../../lib/text';

export const STATUSES_PATH = '/api/v1/statuses';
export const STATUS_MAX_CHARS = 240;

export const StatusSchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_ID }),
    content: z.string().openapi({ example: 'Shipping the like counter today.' }),
    author: AuthorSchema,
    created_at: z.iso.datetime().openapi({ example: EXAMPLE_TIME }),
    updated_at: z.iso.datetime().openapi({ example: EXAMPLE_TIME }),
  })
  .openapi('Status');

export type Status = z.infer<typeof StatusSchema>;

export const StatusListSchema = pageSchema(StatusSchema, 'StatusList');

const usernameFilter = z.string().min(1).max(64).optional();

export const ListStatusesQuery = PageQuerySchema.extend({
  author: usernameFilter.openapi({
    description: "Only this user's statuses (case-insensitive), as on GET /posts.",
    example: 'alice',
  }),
  username: usernameFilter.openapi({
    description: 'Deprecated: the old name of `author`, still accepted.',
    example: 'alice',
    param: { deprecated: true },
  }),
}).refine((q) => !q.author || !q.username || q.author.toLowerCase() === q.username.toLowerCase(), {
  path: ['username'],
  error: 'username is the deprecated name of author: send author only',
});

export const StatusIdParams = IdParamsSchema;

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
