import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteConfig } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { API_PREFIX, createApp, describeApi } from '../../src/app';
import { openApiDocument } from '../support/openapi-document';

// What /docs shows and sends: each request example must be a valid request, and each error
// example must look like the error the operation really answers with.
const app = createApp();
const routes = (await describeApi()).openAPIRegistry.definitions
  .filter((d) => d.type === 'route')
  .map((d) => (d as { route: RouteConfig }).route);
const doc = await openApiDocument(app);

type JsonSchema = { $ref?: string; properties?: Record<string, JsonSchema>; example?: unknown };
const resolve = (schema: JsonSchema): JsonSchema =>
  schema.$ref
    ? resolve(doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')])
    : schema;

/** The body Swagger UI fills in when the operation has no example: one from the field examples. */
function sampleFromFields(schema: JsonSchema): Record<string, unknown> {
  const fields = Object.entries(resolve(schema).properties ?? {}).map(
    ([name, field]) => [name, resolve(field).example] as const,
  );
  return Object.fromEntries(fields.filter(([, example]) => example !== undefined));
}

/** The path a route has in the document (/{id} as in the document, under its prefix). */
function documentPath(route: RouteConfig): string | undefined {
  const method = route.method;
  return Object.keys(doc.paths).find(
    (path) => doc.paths[path][method]?.operationId === route.operationId,
  );
}

const jsonBodies = routes.flatMap((route) => {
  const content = (route.request?.body as { content?: Record<string, unknown> } | undefined)
    ?.content?.['application/json'] as
    | { schema: z.ZodType; example?: unknown; examples?: Record<string, { value: unknown }> }
    | undefined;
  return content ? [{ route, content }] : [];
});

describe('request examples in /docs', () => {
  it.each(jsonBodies.map(({ route, content }) => [route.operationId, route, content] as const))(
    '%s: every example a user can Execute is a valid request body',
    (_id, route, content) => {
      const path = documentPath(route) ?? '';
      const documented = doc.paths[path][route.method].requestBody.content['application/json'];
      const examples = [
        ...Object.values(content.examples ?? {}).map((e) => e.value),
        ...(content.example === undefined ? [] : [content.example]),
      ];
      const candidates =
        examples.length > 0 ? examples : [sampleFromFields(documented.schema as JsonSchema)];
      for (const example of candidates) {
        const parsed = content.schema.safeParse(example);
        expect(parsed.error?.issues ?? [], JSON.stringify(example)).toEqual([]);
      }
    },
  );

  it('login offers one example per alternative, each passing the login schema', () => {
    const login = jsonBodies.find(({ route }) => route.operationId === 'login');
    const examples = Object.values(login?.content.examples ?? {}).map((e) => e.value);
    expect(examples).toEqual([
      expect.objectContaining({ email: expect.any(String) }),
      expect.objectContaining({ username: expect.any(String) }),
    ]);
    for (const example of examples) {
      expect(login?.content.schema.safeParse(example).success).toBe(true);
    }
  });
});

describe('error examples in /docs', () => {
  const srcText = (dir: string): string =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.startsWith('problem-examples'))
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
  const source = srcText(join(import.meta.dirname, '../../src'));

  const problemExamples = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(
    ([path, item]) =>
      Object.values(item).flatMap((op) =>
        Object.entries(op.responses as Record<string, any>).flatMap(([status, response]) => {
          const example = response.content?.['application/problem+json']?.example;
          return example ? [{ path, operationId: op.operationId as string, status, example }] : [];
        }),
      ),
  );

  it('carry a code the code base really answers with, never a placeholder', () => {
    expect(problemExamples.length).toBeGreaterThan(50);
    for (const { operationId, status, example } of problemExamples) {
      expect(example.code, `${operationId} ${status}`).not.toBe('example');
      // accountTakenConflict builds `${field}_taken` from the unique index's field.
      const literal = example.code.endsWith('_taken') ? '_taken`' : `'${example.code}'`;
      expect(source, `${operationId} ${status}: ${example.code}`).toContain(literal);
      expect(example.status).toBe(Number(status));
    }
    const getPost404 = problemExamples.find(
      (p) => p.operationId === 'getPost' && p.status === '404',
    );
    expect(getPost404?.example.code).toBe('post_not_found');
  });

  it('carry the operation’s own path as instance', () => {
    for (const { path, example } of problemExamples) {
      const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      expect(example.instance).toMatch(pattern);
      expect(example.instance).not.toContain('{');
    }
    const getPost = problemExamples.find((p) => p.operationId === 'getPost');
    expect(getPost?.example.instance.startsWith(`${API_PREFIX}/posts/`)).toBe(true);
  });
});

describe('the document for a reader of /docs', () => {
  it('explains how to log in and Authorize, and has no made-up contact link', () => {
    expect(doc.info.description).toContain('Authorize');
    expect(doc.info.description).toContain('/auth/login');
    expect(doc.info.contact).toBeUndefined();
  });

  it('says so where signing in is optional', () => {
    const optional = Object.values(doc.paths as Record<string, Record<string, any>>)
      .flatMap((item) => Object.values(item))
      .filter((op) => op.security?.some((s: object) => Object.keys(s).length === 0));
    expect(optional.length).toBeGreaterThan(0);
    for (const op of optional) expect(op.description, op.operationId).toMatch(/optional/i);
  });

  it('Swagger UI keeps the token across reloads (persistAuthorization)', () => {
    const init = readFileSync(join(import.meta.dirname, '../../public/docs/init.js'), 'utf8');
    expect(init).toMatch(/persistAuthorization:\s*true/);
  });
});
