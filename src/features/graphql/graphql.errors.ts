import { GraphQLError } from 'graphql';
import { toApiError } from '../../lib/errors';
import { logError } from '../../lib/log';
import type { ApiError } from '../../lib/problem';

/**
 * GraphQL errors carry the REST problem `code` of the same failure in `extensions.code`, and
 * invalid input the argument's name in `extensions.field`. Anything unforeseen is masked: the
 * client gets the request id, the log gets the detail.
 */

/**
 * Invalid input in one argument: by default the same `validation_failed` as a REST 422. The
 * message names the argument ("content must be 1 to 240 characters").
 */
export const invalidArgument = (field: string, message: string, code = 'validation_failed') =>
  new GraphQLError(message, { extensions: { code, field } });

/** A refusal before execution (parse, validation, limits, persisted queries). */
export const requestError = (message: string, code: string) =>
  new GraphQLError(message, { extensions: { code } });

/** The last segment of a REST field error's JSON Pointer (`/body/content` -> `content`). */
const fieldOf = (err: ApiError) => err.errors?.[0]?.path.split('/').at(-1);

function fromApiError(err: ApiError, base: GraphQLError): GraphQLError {
  const field = fieldOf(err);
  return new GraphQLError(err.message, {
    nodes: base.nodes,
    source: base.source,
    positions: base.positions,
    path: base.path,
    extensions: { code: err.code, ...(field ? { field } : {}) },
  });
}

export interface ErrorScope {
  requestId: string;
  method: string;
  path: string;
}

function masked(err: unknown, scope: ErrorScope, base?: GraphQLError): GraphQLError {
  // The details go to the logs (Workers Observability), never to the client.
  logError(
    {
      request_id: scope.requestId,
      method: scope.method,
      path: scope.path,
      graphql_path: base?.path,
    },
    err,
  );
  return new GraphQLError(
    'Something went wrong on our side. Quote the request_id if you report it.',
    {
      nodes: base?.nodes,
      source: base?.source,
      positions: base?.positions,
      path: base?.path,
      extensions: { code: 'internal_error', request_id: scope.requestId },
    },
  );
}

/** graphql-http's formatError: every error leaves with a code and nothing from inside. */
export function formatError(err: Readonly<GraphQLError | Error>, scope: ErrorScope): GraphQLError {
  if (!(err instanceof GraphQLError)) {
    // graphql-http's own request checks (a body that is not an object, a missing query, ...).
    const code = (err as { code?: unknown }).code;
    return requestError(err.message, typeof code === 'string' ? code : 'bad_request');
  }
  const original = err.originalError;
  if (original === undefined || original instanceof GraphQLError) {
    if (typeof err.extensions.code === 'string') return err;
    // graphql-js's own errors: syntax, validation, variable coercion.
    return new GraphQLError(err.message, {
      nodes: err.nodes,
      source: err.source,
      positions: err.positions,
      path: err.path,
      extensions: { ...err.extensions, code: 'graphql_validation_failed' },
    });
  }
  const apiError = toApiError(original);
  if (apiError.status >= 500) return masked(original, scope, err);
  return fromApiError(apiError, err);
}
