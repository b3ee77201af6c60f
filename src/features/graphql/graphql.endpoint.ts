import {
  buildSchema,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLFieldResolver,
  GraphQLScalarType,
  getOperationAST,
  isObjectType,
  Kind,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { createHandler, type OperationArgs, type RequestParams } from 'graphql-http';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { toApiError } from '../../lib/errors';
import { JSON_MEDIA_TYPE, parseMediaType } from '../../lib/media-type';
import { clientAddress } from '../../lib/rate-limit';
import { createContext, type GraphQLContext } from './graphql.context';
import { type ErrorScope, formatError, requestError } from './graphql.errors';
import { checkLimits, GRAPHQL_LIMITS, isTokenLimitError } from './graphql.limits';
import {
  assertHashMatches,
  lookupPersistedQuery,
  notFoundError,
  type PersistedQueryRef,
  persistedQueryOf,
  registerPersistedQuery,
} from './graphql.persisted';
import { resolvers } from './graphql.resolvers';
import { SDL } from './schema.sdl';

/**
 * POST/GET /graphql: GraphQL over HTTP by graphql-http's handler (content negotiation, status
 * codes, mutations refused over GET), with this API's request parsing, persisted queries,
 * limits and error codes around it. Loaded on the first /graphql request only.
 */

const toDateTime = (value: unknown) => {
  const date = value instanceof Date ? value : new Date(value as number);
  if (Number.isNaN(date.getTime())) throw new TypeError('DateTime cannot represent this value');
  return date.toISOString();
};

/** The SDL with the resolvers attached; a resolver for an undeclared field fails at startup. */
function executableSchema() {
  const schema = buildSchema(SDL);
  const dateTime = schema.getType('DateTime');
  if (dateTime instanceof GraphQLScalarType) dateTime.serialize = toDateTime;
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type))
      throw new Error(`Resolvers for ${typeName}, which is not an object type`);
    const declared = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = declared[fieldName];
      if (!field) throw new Error(`A resolver for ${typeName}.${fieldName}, which is not declared`);
      field.resolve = resolve as GraphQLFieldResolver<unknown, GraphQLContext>;
    }
  }
  return schema;
}

export const schema = executableSchema();

const codedError = (message: string, code: string) => Object.assign(new Error(message), { code });

/**
 * Reads { query, variables, operationName, extensions } from the URL (GET) or JSON body (POST)
 * as graphql-http does, except that the query may be left out for a persisted query and a
 * JSON array (a batch) is refused.
 */
function parseParams(method: string, url: string, contentType: string, body: string) {
  if (method !== 'GET' && method !== 'POST') {
    return [
      null,
      { status: 405, statusText: 'Method Not Allowed', headers: { allow: 'GET, POST' } },
    ] as const;
  }
  let data: Record<string, unknown>;
  if (method === 'GET') {
    const search = new URL(url).searchParams;
    try {
      data = {
        query: search.get('query') ?? undefined,
        operationName: search.get('operationName') ?? undefined,
        variables: search.has('variables') ? JSON.parse(search.get('variables') ?? '') : undefined,
        extensions: search.has('extensions')
          ? JSON.parse(search.get('extensions') ?? '')
          : undefined,
      };
    } catch {
      throw codedError('Unparsable URL', 'malformed_query_string');
    }
  } else {
    const mediaType = parseMediaType(contentType);
    const charset = mediaType?.parameters.charset?.toLowerCase() ?? 'utf-8';
    if (mediaType?.essence !== JSON_MEDIA_TYPE || charset !== 'utf-8') {
      return [null, { status: 415, statusText: 'Unsupported Media Type' }] as const;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw codedError('Unparsable JSON body', 'malformed_body');
    }
    if (Array.isArray(parsed)) {
      throw codedError(
        'One operation per request: a JSON array (a batch) is not accepted.',
        'batch_not_supported',
      );
    }
    if (typeof parsed !== 'object' || parsed === null) {
      throw codedError('JSON body must be an object', 'malformed_body');
    }
    data = parsed as Record<string, unknown>;
  }
  const { query, variables, operationName, extensions } = data;
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (query != null && typeof query !== 'string') throw codedError('Invalid query', 'bad_request');
  if (variables != null && !isObject(variables))
    throw codedError('Invalid variables', 'bad_request');
  if (operationName != null && typeof operationName !== 'string') {
    throw codedError('Invalid operationName', 'bad_request');
  }
  if (extensions != null && !isObject(extensions))
    throw codedError('Invalid extensions', 'bad_request');
  const persisted = persistedQueryOf(
    (extensions ?? undefined) as Record<string, unknown> | undefined,
  );
  if (query == null && !persisted) throw codedError('Missing query', 'bad_request');
  return {
    query: (query ?? '') as string,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: (operationName ?? undefined) as string | undefined,
    extensions: (extensions ?? undefined) as Record<string, unknown> | undefined,
  } satisfies RequestParams;
}

function parseDocument(query: string): DocumentNode | GraphQLError {
  try {
    return parse(query, { maxTokens: GRAPHQL_LIMITS.tokens });
  } catch (err) {
    if (isTokenLimitError(err)) {
      return requestError(
        `The query has more than ${GRAPHQL_LIMITS.tokens} tokens.`,
        'query_too_large',
      );
    }
    if (err instanceof GraphQLError) {
      return new GraphQLError(err.message, {
        source: err.source,
        positions: err.positions,
        extensions: { code: 'graphql_parse_failed' },
      });
    }
    throw err;
  }
}

// Parsed and validated documents by query text, per isolate: clients repeat the same few
// queries, and parsing and validating is most of the CPU a small query costs. Only short
// queries are kept, so the cache stays small (an AST is many times its text).
const DOCUMENT_CACHE_SIZE = 100;
const CACHED_QUERY_MAX_LENGTH = 4096;
const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();

function validDocument(query: string): DocumentNode | readonly GraphQLError[] {
  const cached = documents.get(query);
  if (cached) return cached;
  const parsed = parseDocument(query);
  let result: DocumentNode | readonly GraphQLError[] = [parsed as GraphQLError];
  if (!(parsed instanceof GraphQLError)) {
    const errors = validate(schema, parsed, specifiedRules);
    result =
      errors.length === 0
        ? parsed
        : errors.map((err) =>
            Object.assign(err, {
              extensions: { ...err.extensions, code: 'graphql_validation_failed' },
            }),
          );
  }
  if (query.length > CACHED_QUERY_MAX_LENGTH) return result;
  if (documents.size >= DOCUMENT_CACHE_SIZE) {
    const oldest = documents.keys().next().value;
    if (oldest !== undefined) documents.delete(oldest);
  }
  documents.set(query, result);
  return result;
}

/** 405 as the GraphQL-over-HTTP spec says, with a body like every other refusal. */
const mutationOverGet = () =>
  [
    JSON.stringify({
      errors: [
        {
          message: 'Mutations are not allowed over GET: use POST.',
          extensions: { code: 'method_not_allowed' },
        },
      ],
    }),
    {
      status: 405,
      statusText: 'Method Not Allowed',
      headers: { allow: 'POST', 'content-type': 'application/json; charset=utf-8' },
    },
  ] as const;

/** Everything before execution: persisted query, parse, validation, limits. No statement runs. */
async function prepare(
  c: Context<AppEnv>,
  ctx: GraphQLContext,
  params: RequestParams,
): Promise<
  OperationArgs<GraphQLContext> | readonly GraphQLError[] | ReturnType<typeof mutationOverGet>
> {
  const persisted: PersistedQueryRef | null = persistedQueryOf(params.extensions ?? undefined);
  let query = params.query;
  if (persisted && query === '') {
    const stored = await lookupPersistedQuery(c.env.GRAPHQL_QUERIES, persisted);
    if (stored === null) return [notFoundError()];
    query = stored;
  } else if (persisted) {
    await assertHashMatches(persisted, query);
  }
  const document = validDocument(query);
  if (!('kind' in document)) return document;
  const operation = getOperationAST(document, params.operationName);
  if (!operation) {
    return [
      requestError(
        params.operationName
          ? `No operation named "${params.operationName}" in the document.`
          : 'The document has several operations: name the one to run in operationName.',
        'operation_not_found',
      ),
    ];
  }
  const fragments = document.definitions.filter(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
  );
  const refused = checkLimits(operation, fragments, params.variables);
  if (refused) return [refused];
  if (c.req.method === 'GET' && operation.operation === 'mutation') return mutationOverGet();
  if (persisted && params.query !== '') {
    await registerPersistedQuery(c.env, clientAddress(c), persisted, query);
  }
  return {
    schema,
    document,
    operationName: params.operationName,
    variableValues: params.variables,
    contextValue: ctx,
  };
}

export async function handleGraphQL(c: Context<AppEnv>): Promise<Response> {
  // Read here, not inside graphql-http, so the JSON body limit's 413 is not turned into a 400.
  const body = c.req.method === 'POST' ? await c.req.text() : '';
  const ctx = createContext(c);
  const scope: ErrorScope = {
    requestId: ctx.requestId,
    method: c.req.method,
    path: new URL(c.req.url).pathname,
  };
  const handler = createHandler<Request, undefined, GraphQLContext>({
    schema,
    context: ctx,
    parseRequestParams: (req) =>
      parseParams(req.method, req.url, c.req.header('content-type') ?? '', body),
    onSubscribe: async (_req, params) => {
      try {
        return await prepare(c, ctx, params);
      } catch (err) {
        if (err instanceof GraphQLError) return [err];
        const apiError = toApiError(err);
        if (apiError.status >= 500) throw err;
        return [requestError(apiError.message, apiError.code)];
      }
    },
    formatError: (err) => formatError(err, scope),
  });
  const [responseBody, init] = await handler({
    method: c.req.method,
    url: c.req.url,
    headers: { get: (name: string) => c.req.header(name) ?? null },
    body,
    raw: c.req.raw,
    context: undefined,
  });
  return new Response(responseBody, init);
}
