import { get } from './http';

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
  id: '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11',
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
  const { body: doc } = await get('/openapi.json');
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
