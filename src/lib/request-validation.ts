import { type RouteConfig, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import { contractMessage, queryParameterMessage } from './field-messages';
import { isJson, JSON_MEDIA_TYPE, MULTIPART_MEDIA_TYPE, mediaTypeEssence } from './media-type';
import {
  ApiError,
  badRequest,
  type FieldError,
  jsonPointer,
  unsupportedMediaType,
} from './problem';

type RequestParts = NonNullable<RouteConfig['request']>;
type RequestBody = NonNullable<RequestParts['body']>;
type Target = 'query' | 'param' | 'header' | 'cookie' | 'json' | 'form';

const TARGET_PREFIX: Record<Target, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'params',
  header: 'headers',
  cookie: 'cookies',
};

function unknownKeyMessage(target: Target, knownKeys: readonly string[]): string {
  if (target !== 'query') return 'Unknown or read-only field; it cannot be set.';
  return knownKeys.length === 0
    ? 'Unknown query parameter: this operation takes none.'
    : `Unknown query parameter: this operation takes ${knownKeys.join(', ')}.`;
}

/**
 * A failed validation as a 422 problem with one JSON Pointer per field; an unknown field gets
 * one entry of its own, pointing at it, so a client sees exactly what to drop.
 */
function validationProblem(
  issues: readonly z.core.$ZodIssue[],
  target: Target,
  knownKeys: readonly string[] = [],
): ApiError {
  const prefix = TARGET_PREFIX[target];
  const errors: FieldError[] = issues.flatMap((issue) => {
    const at = [prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: jsonPointer([...at, key]),
        message: unknownKeyMessage(target, knownKeys),
      }));
    }
    return [{ path: jsonPointer(at), message: issue.message }];
  });
  return new ApiError({
    status: 422,
    code: 'validation_failed',
    detail: `The request has ${errors.length === 1 ? 'an invalid field' : `${errors.length} invalid fields`}.`,
    errors,
  });
}

/**
 * zod's synchronous parse, which zod refuses (throwing $ZodAsyncError) only for a schema with an
 * async check; the async parse costs a chain of promises on every request.
 */
async function parseSyncFirst<T extends z.ZodType>(
  schema: T,
  value: unknown,
  error: z.core.$ZodErrorMap,
) {
  try {
    return schema.safeParse(value, { error });
  } catch (err) {
    if (!(err instanceof z.core.$ZodAsyncError)) throw err;
    return schema.safeParseAsync(value, { error });
  }
}

/** Parses one part of a request, with the contract's field messages; a 422 problem if invalid. */
export async function parseRequestPart<T extends z.ZodType>(
  schema: T,
  value: unknown,
  target: Target,
): Promise<z.output<T>> {
  const error = target === 'query' ? queryParameterMessage : contractMessage;
  const result = await parseSyncFirst(schema, value, error);
  if (result.success) return result.data;
  const knownKeys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  throw validationProblem(result.error.issues, target, knownKeys);
}

/**
 * Checks one named value (a GraphQL argument, say) by the schema of a REST field: the parsed
 * value, or the message REST would give, naming the value `name`.
 */
export function checkField<T extends z.ZodType>(
  schema: T,
  name: string,
  value: unknown,
): { success: true; data: z.output<T> } | { success: false; message: string } {
  const result = z
    .object({ [name]: schema })
    .safeParse({ [name]: value }, { error: contractMessage });
  if (result.success) return { success: true, data: result.data[name] as z.output<T> };
  return { success: false, message: result.error.issues[0]?.message ?? `${name} is not valid` };
}

type PartTarget = Exclude<Target, 'json' | 'form'>;

// Each part as hono/validator reads it: a query parameter given more than once is an array.
const READ_PART: Record<PartTarget, (c: Context) => unknown> = {
  query: (c) =>
    Object.fromEntries(
      Object.entries(c.req.queries()).map(([key, values]) => [
        key,
        values.length === 1 ? values[0] : values,
      ]),
    ),
  param: (c) => c.req.param(),
  header: (c) => c.req.header(),
  cookie: (c) => getCookie(c),
};

/** The query, path parameters, headers and cookies checked in that order, by one middleware. */
const validateParts =
  (parts: readonly [PartTarget, z.ZodType][]): MiddlewareHandler =>
  async (c, next) => {
    for (const [target, schema] of parts) {
      c.req.addValidatedData(
        target,
        (await parseRequestPart(schema, READ_PART[target](c), target)) as object,
      );
    }
    await next();
  };

/** A form's parts and whether each is required, from a zod object or a plain JSON Schema. */
function formParts(schema: unknown): [name: string, required: boolean][] {
  if (schema instanceof z.ZodObject) {
    return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, part]) => [
      name,
      !part.safeParse(undefined).success,
    ]);
  }
  if (!schema || typeof schema !== 'object' || !('properties' in schema)) return [];
  const { properties, required = [] } = schema as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.keys(properties ?? {}).map((name) => [name, required.includes(name)]);
}

/**
 * "application/json", or "multipart/form-data with a `file` part": what a body may be, in the
 * words of a 415 detail, from the media types the route declares.
 */
function describeAcceptedBodies(body: RequestBody): string {
  return Object.entries(body.content)
    .map(([type, media]) => {
      const schema = media && 'schema' in media ? media.schema : undefined;
      const parts = type === MULTIPART_MEDIA_TYPE ? formParts(schema) : [];
      if (parts.length === 0) return type;
      const named = parts.map(([name, required]) =>
        required ? `a \`${name}\` part` : `an optional \`${name}\` part`,
      );
      return `${type} with ${named.join(' and ')}`;
    })
    .join(', or ');
}

/** The detail of a 415: what was wrong with the Content-Type sent, and what to send instead. */
export function unsupportedBodyDetail(body: RequestBody, header: string | undefined): string {
  const essence = mediaTypeEssence(header);
  const refusal =
    header === undefined
      ? 'The request has no Content-Type.'
      : essence === null
        ? 'The Content-Type is not a valid media type.'
        : `This operation does not take ${essence}.`;
  return `${refusal} Send the body as ${describeAcceptedBodies(body)}.`;
}

// Each route's media-type check with the types it takes, so that the app-wide JSON size limit,
// which runs before it, can tell whether the route will read a JSON body at all.
const BODY_CHECKS = new WeakMap<MiddlewareHandler, readonly string[]>();

/** The body media types of the route that will answer; undefined when it declares none. */
export function declaredBodyTypes(c: Context): readonly string[] | undefined {
  for (const { handler } of matchedRoutes(c)) {
    const types = BODY_CHECKS.get(handler);
    if (types) return types;
  }
  return undefined;
}

/**
 * The body's Content-Type must be one the route declares (type and subtype compared
 * case-insensitively, any parameters): anything else, or none, is a 415 that says what to send.
 */
function requireDeclaredMediaType(body: RequestBody): MiddlewareHandler {
  const accepted = Object.keys(body.content);
  const check = createMiddleware(async (c, next) => {
    const header = c.req.header('Content-Type');
    if (header === undefined && body.required !== true) return next();
    const essence = mediaTypeEssence(header);
    if (essence === null || !accepted.includes(essence)) {
      throw unsupportedMediaType(unsupportedBodyDetail(body, header));
    }
    await next();
  });
  BODY_CHECKS.set(check, accepted);
  return check;
}

/** Reads and checks a JSON body; other declared types (multipart) are left to the handler. */
const validateJsonBody = (schema: z.ZodType) =>
  createMiddleware(async (c, next) => {
    if (!isJson(c.req.header('Content-Type'))) return next();
    let value: unknown;
    try {
      value = await c.req.json();
    } catch {
      throw badRequest('The request body is not valid JSON.', 'malformed_body');
    }
    c.req.addValidatedData('json', (await parseRequestPart(schema, value, 'json')) as object);
    await next();
  });

const isZodSchema = (schema: unknown): schema is z.ZodType => schema instanceof z.ZodType;

const NO_QUERY = z.object({});

/**
 * The checks every route's request goes through, in order: query (unknown parameters refused),
 * path parameters, headers, cookies, then the body's media type and, for JSON, the body.
 */
export function requestValidators(request: RequestParts = {}): MiddlewareHandler[] {
  const query = request.query ?? NO_QUERY;
  const parts: [PartTarget, z.ZodType][] = [
    ['query', query instanceof z.ZodObject ? query.strict() : query],
  ];
  if (request.params) parts.push(['param', request.params]);
  if (Array.isArray(request.headers)) throw new Error('Declare request headers as one object.');
  if (request.headers) parts.push(['header', request.headers]);
  if (request.cookies) parts.push(['cookie', request.cookies]);
  const validators = [validateParts(parts)];
  if (!request.body) return validators;
  const json = request.body.content[JSON_MEDIA_TYPE];
  const jsonSchema = json && 'schema' in json ? json.schema : undefined;
  return [
    ...validators,
    requireDeclaredMediaType(request.body),
    ...(isZodSchema(jsonSchema) ? [validateJsonBody(jsonSchema)] : []),
  ];
}
