import type { JsonSchema } from './schema-arbitrary';

/** One operation of the OpenAPI document, its $refs to parameters already followed. */
export interface Operation {
  method: string;
  path: string;
  operationId: string;
  parameters: Parameter[];
  /** Declared request media types and their schemas; undefined when the operation takes none. */
  body?: { required: boolean; content: Record<string, JsonSchema> };
  /** Declared response statuses. */
  statuses: string[];
  /** Whether a bearer token is one of its security requirements. */
  bearer: boolean;
  /** Whether the refresh cookie is its security requirement. */
  cookie: boolean;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export type OpenApiDocument = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Follows a local $ref such as `#/components/schemas/Post`. */
export function resolveRef<T>(doc: OpenApiDocument, value: T | { $ref: string }): T {
  let current: unknown = value;
  while (current && typeof current === 'object' && '$ref' in current) {
    const ref = (current as { $ref: string }).$ref;
    current = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return current as T;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => {
      const op = item[method];
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) =>
        resolveRef<Parameter>(doc, p),
      );
      const requestBody = op.requestBody && resolveRef<any>(doc, op.requestBody);
      const security: Record<string, unknown>[] = op.security ?? doc.security ?? [];
      return {
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        parameters: parameters.map((p) => ({ ...p, required: p.required === true })),
        body: requestBody && {
          required: requestBody.required === true,
          content: Object.fromEntries(
            Object.entries(requestBody.content as Record<string, { schema: JsonSchema }>).map(
              ([type, media]) => [type, media.schema],
            ),
          ),
        },
        statuses: Object.keys(op.responses),
        bearer: security.some((s) => 'bearerAuth' in s),
        cookie: security.some((s) => 'refreshCookie' in s),
      };
    }),
  );
}
