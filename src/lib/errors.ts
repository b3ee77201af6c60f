import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../env';
import { isForeignKeyViolation, isUniqueViolation } from './db-errors';
import { logError } from './log';
import { ApiError, problemBody, unauthorized } from './problem';

const PROBLEM_JSON = 'application/problem+json';

export function problemResponse(c: Context<AppEnv>, err: ApiError): Response {
  const body = problemBody(err, new URL(c.req.url).pathname, c.get('requestId') ?? '');
  return new Response(JSON.stringify(body), {
    status: err.status,
    headers: { 'Content-Type': PROBLEM_JSON, ...err.headers },
  });
}

/** Maps anything thrown to an ApiError; unknown errors become a 500 that reveals nothing. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 400) {
      // hono's validator throws this for an unparseable body.
      return new ApiError({
        status: 400,
        code: 'malformed_body',
        detail: 'The request body could not be parsed.',
      });
    }
    // With the WWW-Authenticate header that every 401 carries.
    if (err.status === 401) return unauthorized();
    if (err.status < 500) {
      return new ApiError({
        status: err.status,
        code: 'http_error',
        detail: err.message || 'Request refused.',
      });
    }
  }
  // A race the handler did not foresee (a parent deleted mid-request, a duplicate created at
  // the same instant) is a conflict with the current state, not a server fault.
  if (isForeignKeyViolation(err)) {
    return new ApiError({
      status: 409,
      code: 'referenced_resource_gone',
      detail: 'Something this request refers to no longer exists. Reload and try again.',
    });
  }
  if (isUniqueViolation(err)) {
    return new ApiError({
      status: 409,
      code: 'conflict',
      detail: 'This conflicts with a resource that already exists.',
    });
  }
  return new ApiError({
    status: 500,
    code: 'internal_error',
    detail: 'Something went wrong on our side. Quote the request_id if you report it.',
  });
}

export function onError(err: unknown, c: Context<AppEnv>): Response {
  const apiError = toApiError(err);
  if (apiError.status >= 500) {
    // The details go to the logs (Workers Observability), never to the client.
    logError(
      { request_id: c.get('requestId'), method: c.req.method, path: new URL(c.req.url).pathname },
      err,
    );
  }
  return problemResponse(c, apiError);
}
