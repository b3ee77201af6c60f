import { describe, expect, it } from 'vitest';
import { servedDocument } from '../../scripts/lib/openapi-tools';

type Schema = Record<string, any>;

// Issue 7: every operation has examples for its request and response bodies. A body counts as
// exemplified when its media type has `example`/`examples`, or its schema (references
// followed) has an example, or every property does, recursively. Raw bytes (format: binary,
// image uploads and downloads) have no meaningful example and count as exemplified.
function hasExample(schema: Schema | undefined, doc: Schema, seen = new Set<string>()): boolean {
  if (!schema) return false;
  if (schema.$ref) {
    const ref = schema.$ref as string;
    if (seen.has(ref)) return true;
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: Schema | undefined, key) => node?.[key], doc);
    return hasExample(target, doc, new Set([...seen, ref]));
  }
  if (schema.example !== undefined || schema.examples !== undefined) return true;
  if (schema.const !== undefined || schema.enum !== undefined) return true;
  if (schema.format === 'binary') return true;
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    if (Array.isArray(schema[key])) {
      return (schema[key] as Schema[]).every((s) => s.type === 'null' || hasExample(s, doc, seen));
    }
  }
  if (schema.type === 'array' || schema.items) return hasExample(schema.items, doc, seen);
  if (schema.properties) {
    return Object.values(schema.properties as Record<string, Schema>).every((p) =>
      hasExample(p, doc, seen),
    );
  }
  return false;
}

describe('the operations of the OpenAPI document', () => {
  it('every request and response body has an example', async () => {
    const doc = await servedDocument();
    const missing: string[] = [];
    for (const [path, item] of Object.entries<Schema>(doc.paths)) {
      for (const [method, op] of Object.entries<Schema>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const bodies: [string, Schema][] = [
          ...Object.entries<Schema>(op.requestBody?.content ?? {}).map(
            ([type, media]): [string, Schema] => [`request ${type}`, media],
          ),
          ...Object.entries<Schema>(op.responses ?? {}).flatMap(([status, response]) =>
            Object.entries<Schema>(response.content ?? {}).map(
              ([type, media]): [string, Schema] => [`${status} ${type}`, media],
            ),
          ),
        ];
        for (const [what, media] of bodies) {
          const ok =
            media.example !== undefined ||
            media.examples !== undefined ||
            hasExample(media.schema, doc);
          if (!ok) missing.push(`${where} ${what}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('declare the error responses their inputs and credentials can cause', async () => {
    const doc = await servedDocument();
    const parameter = (p: Schema): Schema =>
      p.$ref ? doc.components.parameters[String(p.$ref).split('/').pop() as string] : p;
    const missing: string[] = [];
    for (const [path, item] of Object.entries<Schema>(doc.paths)) {
      for (const [method, op] of Object.entries<Schema>(item)) {
        const declared = new Set(Object.keys(op.responses ?? {}));
        const security: Schema[] = op.security ?? doc.security ?? [];
        const needs = ['500'];
        // A bearer token can be missing, expired or revoked.
        if (security.some((s) => 'bearerAuth' in s)) needs.push('401');
        // An id or name in the path can name nothing.
        if (path.includes('{')) needs.push('404');
        // A body or a query can be well-formed and still invalid. GraphQL over HTTP reports
        // invalid input inside its response (200, or 400), never as 422.
        const query = (op.parameters ?? []).some((p: Schema) => parameter(p).in === 'query');
        if ((op.requestBody || query) && path !== '/graphql') needs.push('422');
        for (const status of needs) {
          if (!declared.has(status)) missing.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
