import { exports } from 'cloudflare:workers';

/**
 * The operations of the OpenAPI document as this Worker serves it, with a request for each
 * that is valid apart from who sends it: path parameters and the JSON body from the
 * document's own examples. Tests that must cover every route (of a kind) take them from here,
 * so a route added later is covered without anyone remembering to list it.
 */

type Doc = Record<string, any>;

export interface Operation {
  method: string;
  /** The documented path, e.g. /api/v1/posts/{id}. */
  path: string;
  operationId: string;
  description: string;
  security: Record<string, string[]>[];
  /** A concrete path for a request, parameters filled from their examples. */
  url: string;
  /** The example JSON body, when the operation takes one. */
  json?: unknown;
}

const EXAMPLE_ID = '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11';

let served: Promise<Doc> | undefined;
export function servedDocument(): Promise<Doc> {
  served ??= exports.default
    .fetch(new Request('http://localhost/openapi.json'))
    .then((res: Response) => res.json() as Promise<Doc>);
  return served;
}

function resolve(doc: Doc, node: Doc | undefined): Doc | undefined {
  if (!node?.$ref) return node;
  const target = (node.$ref as string)
    .replace(/^#\//, '')
    .split('/')
    .reduce((n: Doc | undefined, key) => n?.[key], doc);
  return resolve(doc, target);
}

function exampleOf(doc: Doc, node: Doc | undefined): unknown {
  const schema = resolve(doc, node);
  if (!schema) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.properties) {
    return Object.fromEntries(
      Object.entries(schema.properties as Record<string, Doc>).map(([k, v]) => [
        k,
        exampleOf(doc, v),
      ]),
    );
  }
  return undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export async function documentedOperations(): Promise<Operation[]> {
  const doc = await servedDocument();
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Doc>)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])]
        .map((p: Doc) => resolve(doc, p))
        .filter((p): p is Doc => p?.in === 'path');
      const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const param = params.find((p) => p.name === name);
        const example = param?.example ?? param?.schema?.example ?? EXAMPLE_ID;
        return encodeURIComponent(String(example));
      });
      const media = op.requestBody?.content?.['application/json'];
      const json = media ? (media.example ?? exampleOf(doc, media.schema)) : undefined;
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        description: op.description ?? '',
        security: op.security ?? doc.security ?? [],
        url,
        ...(json !== undefined ? { json } : {}),
      });
    }
  }
  return operations;
}

/** Needs a bearer token: every security alternative names the bearer scheme. */
export const requiresBearer = (op: Operation) =>
  op.security.length > 0 && op.security.every((alt) => 'bearerAuth' in alt);

/** An operation of the served OpenAPI document, with a URL to call it at. */
export interface DocumentedOperation {
  method: string;
  /** The path template, e.g. /api/v1/posts/{id}. */
  path: string;
  /** The template with a sample value for each parameter. */
  url: string;
  operation: Record<string, any>;
}

const SAMPLE_PATH_PARAMS: Record<string, string> = {
  id: EXAMPLE_ID,
  username: 'nobody_here',
  key: 'u%2Fnone.png',
};

export const samplePath = (template: string) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PATH_PARAMS[name] ?? 'x');

/**
 * Every operation the document lists except GraphQL's, which answers errors in GraphQL's own
 * shape (see GRAPHQL.md) rather than as problem details.
 */
export async function restOperations(): Promise<DocumentedOperation[]> {
  const doc = await servedDocument();
  return Object.entries<Record<string, Record<string, any>>>(doc.paths)
    .filter(([path]) => !path.startsWith('/graphql'))
    .flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        url: samplePath(path),
        operation,
      })),
    );
}
