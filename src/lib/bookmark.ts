/**
 * D1 read replication (Sessions API). A request that may write starts at the primary; a read
 * starts wherever the client's bookmark says it may (a replica at least as new as the client's
 * last write), or anywhere when it sent none. Every response carries the session's latest
 * bookmark so the client can echo it and read its own writes.
 */
export const BOOKMARK_HEADER = 'X-D1-Bookmark';

export const FIRST_PRIMARY = 'first-primary';
export const FIRST_UNCONSTRAINED = 'first-unconstrained';

/** What a session starts from: a constraint or a bookmark the client sent back. */
export type SessionStart = typeof FIRST_PRIMARY | typeof FIRST_UNCONSTRAINED | (string & {});

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// D1 bookmarks are dash-separated hex groups (e.g. 0000007b-0000b26e-00001538-<32 hex>).
// The shape is not a documented contract, so the check is loose but bounded: anything else
// is ignored rather than passed to D1, which would fail the whole request.
const BOOKMARK_PATTERN = /^[0-9a-f]{1,64}(?:-[0-9a-f]{1,64}){1,7}$/i;
const MAX_BOOKMARK_LENGTH = 256;

export function isBookmark(value: string | null | undefined): value is string {
  return (
    typeof value === 'string' && value.length <= MAX_BOOKMARK_LENGTH && BOOKMARK_PATTERN.test(value)
  );
}

/**
 * Where a request's session starts, from its method, the bookmark header it sent, and whether
 * it carries credentials: then the user lookup that decides access (is_active, is_admin, the
 * token generation) must not read a lagging replica, so it starts at the primary too.
 */
export function sessionStart(
  method: string,
  bookmark: string | null | undefined,
  credentials = false,
): SessionStart {
  if (credentials || !READ_METHODS.has(method.toUpperCase())) return FIRST_PRIMARY;
  const candidate = bookmark?.trim();
  return isBookmark(candidate) ? candidate : FIRST_UNCONSTRAINED;
}

const BOOKMARK_COMPONENT = 'D1Bookmark';

const BOOKMARK_DESCRIPTION =
  'D1 read replication: the session bookmark after this request (present when the database is D1 and the request used it). Send it back as the X-D1-Bookmark request header on later reads to read your own writes from any replica.';

type JsonObject = Record<string, unknown>;

const isReference = (value: unknown) =>
  typeof value === 'object' && value !== null && '$ref' in value;

const HEADER_REF = { $ref: `#/components/headers/${BOOKMARK_COMPONENT}` };
const PARAMETER_REF = { $ref: `#/components/parameters/${BOOKMARK_COMPONENT}` };

/** The bookmark's header and parameter components, through the registry's public API. */
export function registerBookmarkComponents(registry: {
  registerComponent(type: 'headers' | 'parameters', name: string, component: object): unknown;
}) {
  registry.registerComponent('headers', BOOKMARK_COMPONENT, {
    description: BOOKMARK_DESCRIPTION,
    schema: {
      type: 'string',
      example: '0000007b-0000b26e-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b',
    },
  });
  registry.registerComponent('parameters', BOOKMARK_COMPONENT, {
    name: BOOKMARK_HEADER,
    in: 'header',
    required: false,
    description:
      'The X-D1-Bookmark of an earlier response: this read is then served by a replica at least that recent. Ignored when malformed, and on requests that write (those go to the primary).',
    schema: { type: 'string', maxLength: MAX_BOOKMARK_LENGTH },
  });
}

function withBookmarkResponseHeader(response: JsonObject): JsonObject {
  if (isReference(response)) return response;
  const { description, headers, ...rest } = response;
  return {
    description,
    headers: { ...((headers as JsonObject | undefined) ?? {}), [BOOKMARK_HEADER]: HEADER_REF },
    ...rest,
  };
}

function withBookmarkParameter(operation: JsonObject): JsonObject {
  const parameters = (operation.parameters as JsonObject[] | undefined) ?? [];
  if (parameters.some((p) => p.$ref === PARAMETER_REF.$ref)) return operation;
  const entries = Object.entries(operation).filter(([key]) => key !== 'parameters');
  // First among the parameters, where the generator lists referenced ones; the key itself
  // goes before the request body and the responses.
  const at = entries.findIndex(([key]) => key === 'requestBody' || key === 'responses');
  entries.splice(at === -1 ? entries.length : at, 0, [
    'parameters',
    [PARAMETER_REF, ...parameters],
  ]);
  return Object.fromEntries(entries);
}

/**
 * Documents the bookmark once for the whole API, on the generated document: a response header
 * on every response of every operation, and a request header parameter on every read.
 */
export function withBookmarkHeader<T extends { paths?: Record<string, unknown> }>(document: T): T {
  const paths = Object.fromEntries(
    Object.entries(document.paths ?? {}).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item as JsonObject).map(([method, value]) => {
          const operation = value as JsonObject;
          if (typeof operation !== 'object' || !operation || !('responses' in operation)) {
            return [method, value];
          }
          const responses = Object.fromEntries(
            Object.entries(operation.responses as JsonObject).map(([status, response]) => [
              status,
              withBookmarkResponseHeader(response as JsonObject),
            ]),
          );
          const withHeaders = { ...operation, responses };
          return [
            method,
            READ_METHODS.has(method.toUpperCase())
              ? withBookmarkParameter(withHeaders)
              : withHeaders,
          ];
        }),
      ),
    ]),
  );
  return { ...document, paths };
}
