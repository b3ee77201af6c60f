import { z } from '@hono/zod-openapi';
import { statusTitle } from './problem';

/** Where the REST API lives; /graphql, /docs, /health and /openapi.json sit at the root. */
export const API_PREFIX = '/api/v1';

export const BEARER = 'bearerAuth';
export const REFRESH_COOKIE_SCHEME = 'refreshCookie';
export const bearerSecurity = [{ [BEARER]: [] }];

export const EXAMPLE_ID = '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11';
export const EXAMPLE_TIME = '2026-11-23T12:00:00.000Z';

/** `/{id}` of a resource whose id the server made (a UUIDv7). */
export const IdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: EXAMPLE_ID }),
});

export const FieldErrorSchema = z
  .object({
    path: z.string().openapi({ example: '/body/email' }),
    message: z.string().openapi({ example: 'Invalid email address' }),
  })
  .openapi('FieldError');

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'about:blank' }),
    title: z.string().openapi({ example: 'Unprocessable Content' }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string().openapi({ example: 'The request has invalid fields.' }),
    instance: z.string().openapi({ example: '/api/v1/auth/register' }),
    request_id: z.string().openapi({ example: '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11' }),
    code: z.string().openapi({
      description: 'Stable machine-readable reason for the error.',
      example: 'validation_failed',
    }),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .openapi('Problem', {
    description: 'An RFC 9457 problem detail. Every error response has this shape.',
  });

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request: unparseable JSON, or a bad cursor.',
  401: 'Missing, invalid or expired credentials.',
  403: 'Authenticated, but not allowed to do this.',
  404: 'No such resource.',
  409: 'Conflict with the current state (a duplicate, or a request still in flight).',
  412: 'The If-Match ETag is stale (the resource changed since it was read) or unparseable.',
  413: 'The request body is too large.',
  415: 'Unsupported media type: a Content-Type this operation does not take, or none (the detail says what to send); or an upload that is not a JPEG, PNG, WebP or GIF by its bytes.',
  422: 'Well-formed but invalid: see `errors`, one entry per field (unknown body fields and query parameters included).',
  428: 'A precondition header is required.',
  429: 'Rate limited: retry after the number of seconds in Retry-After.',
  500: 'Unexpected error. The body never shows internals; quote request_id when reporting.',
  503: 'A dependency is unavailable.',
};

export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS & number;

const problemHeaders = (status: number) => {
  if (status === 401) {
    return {
      'WWW-Authenticate': {
        required: true,
        description:
          'The authentication scheme (RFC 6750), with error="invalid_token" when a token was refused.',
        schema: { type: 'string' as const, example: 'Bearer realm="ublog", error="invalid_token"' },
      },
    };
  }
  if (status === 429) {
    return {
      'Retry-After': {
        required: true,
        description: 'Seconds to wait before retrying.',
        schema: { type: 'integer' as const, example: 30 },
      },
    };
  }
  return undefined;
};

// The code an error of each status usually carries, for the examples.
const PROBLEM_CODES: Partial<Record<number, string>> = {
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  500: 'internal_error',
};

/** One problem response; `example` gives the example a code and detail of the operation's own. */
export function problemResponse(
  status: ProblemStatus,
  example: { code?: string; detail?: string } = {},
) {
  const description = PROBLEM_DESCRIPTIONS[status] ?? statusTitle(status);
  return {
    description,
    headers: problemHeaders(status),
    content: {
      'application/problem+json': {
        schema: ProblemSchema,
        example: {
          type: 'about:blank',
          title: statusTitle(status),
          status,
          detail: example.detail ?? description,
          instance: '/api/v1/example',
          request_id: '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11',
          code: example.code ?? PROBLEM_CODES[status] ?? 'example',
        },
      },
    },
  };
}

/** Problem responses for the given statuses, plus 500, which any route can return. */
export function problemResponses(...statuses: ProblemStatus[]) {
  const all = [...new Set([...statuses, 500])].sort();
  return Object.fromEntries(all.map((status) => [status, problemResponse(status)])) as Record<
    ProblemStatus,
    {
      description: string;
      content: { 'application/problem+json': { schema: typeof ProblemSchema } };
    }
  >;
}

/** A JSON response entry for createRoute's `responses`. */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export type HeaderSpec = Record<
  string,
  { description: string; schema: { type: 'string'; example?: string } }
>;

/** A JSON response entry that also declares its response headers. */
export const jsonWithHeaders = <T extends z.ZodType>(
  schema: T,
  description: string,
  headers: HeaderSpec = {},
) => ({ ...jsonContent(schema, description), headers });

/** Named request examples: /docs offers each one (e.g. one per alternative of a body). */
export type RequestExamples<T extends z.ZodType> = Record<
  string,
  { summary: string; value: z.input<T> }
>;

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(
  schema: T,
  description?: string,
  examples?: RequestExamples<T>,
) => ({
  required: true,
  ...(description ? { description } : {}),
  content: { 'application/json': { schema, ...(examples ? { examples } : {}) } },
});

export const TAGS = [
  { name: 'Auth', description: 'Registration, login, token refresh, password and email flows.' },
  { name: 'Users', description: 'The signed-in account.' },
  { name: 'Profiles', description: 'Public profiles with avatars.' },
  { name: 'Statuses', description: 'Short status updates.' },
  { name: 'Posts', description: 'Posts with optional images, and likes.' },
  { name: 'Images', description: 'Uploaded images and thumbnails, served from R2.' },
  {
    name: 'Admin',
    description:
      'Operator surface: users, request logs, stats, failed jobs. Administrators may also edit or delete any post and delete any status through the normal routes; only its author may edit a status.',
  },
  {
    name: 'GraphQL',
    description:
      'One GraphQL endpoint over the same data, rules and ids as the REST API (schema: src/features/graphql/schema.graphql).',
  },
  { name: 'Service', description: 'Health and documentation.' },
] as const;
