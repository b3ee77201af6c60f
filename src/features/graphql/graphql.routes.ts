import { createRoute, z } from '@hono/zod-openapi';
import { notModifiedResponse } from '../../lib/etag';
import { bearerSecurity, EXAMPLE_ID } from '../../lib/openapi';
import { GRAPHQL_PATH } from './graphql.middleware';

const TAGS = ['GraphQL'];
const SCHEMA_LINK =
  'The schema: `src/features/graphql/schema.graphql` in the repository, or introspection (GraphiQL at GET /graphql in a browser shows it).';

export const GraphQLErrorSchema = z
  .object({
    message: z
      .string()
      .openapi({ example: 'Only its author or an administrator may do this to the post.' }),
    locations: z.array(z.object({ line: z.number().int(), column: z.number().int() })).optional(),
    path: z.array(z.union([z.string(), z.number().int()])).optional(),
    extensions: z
      .object({
        code: z.string().openapi({
          description:
            'The REST problem code of the same failure (not_owner, post_not_found, validation_failed, rate_limited, ...) or a GraphQL one (graphql_validation_failed, query_too_deep, PERSISTED_QUERY_NOT_FOUND, ...).',
          example: 'not_owner',
        }),
        field: z
          .string()
          .optional()
          .openapi({ description: 'The invalid argument.', example: 'body' }),
        request_id: z
          .string()
          .optional()
          .openapi({ description: 'On internal errors: quote it when reporting.' }),
      })
      .openapi({ description: 'Always present, with at least `code`.' }),
  })
  .openapi('GraphQLError');

export const GraphQLResponseSchema = z
  .object({
    data: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .openapi({ description: 'The result, shaped like the query.' }),
    errors: z.array(GraphQLErrorSchema).optional(),
  })
  .openapi('GraphQLResponse');

const ExtensionsSchema = z.record(z.string(), z.unknown()).openapi({
  description:
    'Automatic persisted queries: `{ "persistedQuery": { "version": 1, "sha256Hash": "<sha256 of query>" } }`. Send the hash alone; on PERSISTED_QUERY_NOT_FOUND send it again with `query` to register it.',
  example: {
    persistedQuery: {
      version: 1,
      sha256Hash: 'ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38',
    },
  },
});

export const GraphQLRequestSchema = z
  .object({
    query: z.string().optional().openapi({
      description:
        'The GraphQL document; may be left out when extensions.persistedQuery names a registered one.',
      example: '{ posts(first: 2) { nodes { id body author { username } } } }',
    }),
    variables: z.record(z.string(), z.unknown()).optional(),
    operationName: z
      .string()
      .optional()
      .openapi({ description: 'Which operation of the document to run.' }),
    extensions: ExtensionsSchema.optional(),
  })
  .openapi('GraphQLRequest');

const EXAMPLE_RESPONSE = {
  data: {
    posts: {
      nodes: [{ id: EXAMPLE_ID, body: 'Hello from the edge.', author: { username: 'alice' } }],
    },
  },
};

const graphqlContent = (description: string, example: unknown) => ({
  description,
  content: {
    'application/graphql-response+json': { schema: GraphQLResponseSchema, example },
    'application/json': { schema: GraphQLResponseSchema, example },
  },
});

const ERROR_EXAMPLE = {
  errors: [
    {
      message: 'Syntax Error: Expected Name, found <EOF>.',
      extensions: { code: 'graphql_parse_failed' },
    },
  ],
};

const responses = {
  200: graphqlContent(
    'The result. With `Accept: application/json` every GraphQL error is also a 200 (look at `errors`); resolver errors (not_owner, post_not_found, ...) are 200 with partial `data` either way.',
    EXAMPLE_RESPONSE,
  ),
  400: graphqlContent(
    'A request that cannot run: unparsable body, syntax or validation error, a limit exceeded (query_too_deep, too_many_aliases, query_too_costly, query_too_large), a batch (batch_not_supported) or PERSISTED_QUERY_NOT_FOUND. 400 with `Accept: application/graphql-response+json`; with `application/json` only when the body itself is unusable.',
    ERROR_EXAMPLE,
  ),
  401: {
    ...graphqlContent(
      'An invalid or expired bearer token refuses the whole request (invalid_token).',
      {
        errors: [
          {
            message: 'The access token is invalid or has expired.',
            extensions: { code: 'invalid_token' },
          },
        ],
      },
    ),
    headers: {
      'WWW-Authenticate': {
        required: true,
        description: 'RFC 6750, with error="invalid_token".',
        schema: { type: 'string' as const, example: 'Bearer realm="ublog", error="invalid_token"' },
      },
    },
  },
  406: {
    description: 'Accept names neither application/graphql-response+json nor application/json.',
  },
  413: graphqlContent('The JSON body is larger than the REST body limit (payload_too_large).', {
    errors: [
      {
        message: 'The request body is larger than 65536 bytes.',
        extensions: { code: 'payload_too_large' },
      },
    ],
  }),
  415: { description: 'POST with a body that is not application/json.' },
  500: graphqlContent('Unexpected error: masked, with the request id.', {
    errors: [
      {
        message: 'Something went wrong on our side. Quote the request_id if you report it.',
        extensions: { code: 'internal_error', request_id: EXAMPLE_ID },
      },
    ],
  }),
};

export const graphqlPost = createRoute({
  method: 'post',
  path: GRAPHQL_PATH,
  operationId: 'graphqlPost',
  tags: TAGS,
  summary: 'Run a GraphQL query or mutation',
  description: `GraphQL over HTTP (the GraphQL-over-HTTP specification): \`{ query, variables?, operationName?, extensions? }\` as JSON, one operation per request (a JSON array is refused). Signing in is optional: anonymous callers read public data; with the same bearer token as REST, \`viewer\`, \`likedByViewer\` and mutations act as that user. Same ids, rules, error codes and rate limits as REST. Limits, checked before anything runs: depth 10, 30 aliases, cost 5000 (each connection counts \`first\` × its children), 5000 tokens. ${SCHEMA_LINK}`,
  security: [{}, ...bearerSecurity],
  request: {
    body: {
      required: true,
      description: 'The GraphQL request.',
      content: {
        'application/json': {
          schema: GraphQLRequestSchema,
          example: {
            query: 'query Feed($first: Int) { posts(first: $first) { nodes { id body } } }',
            variables: { first: 5 },
            operationName: 'Feed',
          },
        },
      },
    },
  },
  responses,
});

export const GraphQLQueryParams = z.object({
  query: z
    .string()
    .optional()
    .openapi({ example: '{ post(id: "01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11") { body } }' }),
  variables: z.string().optional().openapi({ description: 'JSON object.', example: '{"first":5}' }),
  operationName: z.string().optional().openapi({ example: 'Feed' }),
  extensions: z.string().optional().openapi({
    description:
      'JSON, e.g. a persisted query: {"persistedQuery":{"version":1,"sha256Hash":"..."}}.',
    example:
      '{"persistedQuery":{"version":1,"sha256Hash":"ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}}',
  }),
});

export const graphqlGet = createRoute({
  method: 'get',
  path: GRAPHQL_PATH,
  operationId: 'graphqlGet',
  tags: TAGS,
  summary: 'Run a GraphQL query from the URL',
  description: `Queries only (a mutation is 405 with \`Allow: POST\`): the parameters in the query string, so persisted queries (\`extensions\` with the hash alone) make short, cacheable GETs. Signing in is optional, as for POST. With \`Accept: text/html\` a browser gets GraphiQL instead. ${SCHEMA_LINK}`,
  security: [{}, ...bearerSecurity],
  request: { query: GraphQLQueryParams },
  responses: {
    ...responses,
    // Every successful GET is tagged (src/lib/etag.ts), so a repeated persisted query revalidates.
    ...notModifiedResponse,
    405: graphqlContent('A mutation sent over GET.', {
      errors: [
        {
          message: 'Cannot perform mutations over GET',
          extensions: { code: 'method_not_allowed' },
        },
      ],
    }),
  },
});
