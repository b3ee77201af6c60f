import type { Hook } from '@hono/zod-openapi';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { ApiError, type FieldError, jsonPointer } from './problem';

const TARGET_PREFIX: Record<string, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'params',
  header: 'headers',
  cookie: 'cookies',
};

/** Turns a failed zod validation into a 422 problem with one JSON Pointer per field. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return;
  const prefix = TARGET_PREFIX[result.target] ?? result.target;
  const errors: FieldError[] = result.error.issues.flatMap((issue) => {
    const at = [prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    // One entry per unknown field, pointing at the field, so a client sees exactly what to drop.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: jsonPointer([...at, key]),
        message: 'Unknown or read-only field; it cannot be set.',
      }));
    }
    return [{ path: jsonPointer(at), message: issue.message }];
  });
  throw new ApiError({
    status: 422,
    code: 'validation_failed',
    detail: `The request has ${errors.length === 1 ? 'an invalid field' : `${errors.length} invalid fields`}.`,
    errors,
  });
};

/** Every router comes from here, so none falls back to the library's default error shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
}
