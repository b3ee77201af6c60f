import type { Request as LoadRequest } from 'autocannon';

/** What the rows need from the seeded data, found before the load starts. */
export interface BenchContext {
  /** A signed-in user per connection (their access tokens). */
  tokens: string[];
  popularPostId: string;
  /** The path of the fifth page of GET /posts, from following next_cursor. */
  page5Path: string;
  profileUsername: string;
  login: { username: string; password: string };
}

/**
 * A context for the anonymous read rows alone, as the profiling tools use it: no sign-ins, and
 * the newest post stands in for the popular one.
 */
export async function anonymousReadContext(origin: string | URL): Promise<BenchContext> {
  const page = (await (await fetch(new URL('/api/v1/posts?limit=1', origin))).json()) as {
    items: { id: string }[];
  };
  return {
    tokens: ['unused'],
    popularPostId: page.items[0]!.id,
    page5Path: '/api/v1/posts?limit=20',
    profileUsername: 'alice',
    login: { username: 'bob', password: 'unused' },
  };
}

export type RowKind = 'read' | 'write' | 'login';

/**
 * Which Worker a row loads: μblog with the edge cache off (every row that measures our code),
 * μblog with the edge cache on (the cached rows), the bare floor fixture, or the stack fixture
 * (the fixed libraries alone: OpenAPIHono, zod and drizzle, between the two).
 */
export type Server = 'ublog' | 'ublog_cached' | 'stack' | 'floor';

export interface Workload {
  id: string;
  request: string;
  who: string;
  kind: RowKind;
  /** The requests one connection cycles through; `token` is that connection's user. */
  requests(ctx: BenchContext, token: string): LoadRequest[];
  /** The REST row this one answers the same question as (the GraphQL rows). */
  comparesTo?: string;
  /** Why a 2xx answer is still a failure (GraphQL reports errors in a 200 body). */
  problemIn?(body: string): string | undefined;
  /** Default 'ublog'. */
  server?: Server;
  /** The floor row that answers the same request with nothing around the statement. */
  floor?: string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = { 'content-type': 'application/json' };
const LIST = '/api/v1/posts?limit=20';

// What GET /api/v1/posts/{id} answers, as GraphQL fields.
const POST_FIELDS = `id body imageUrl thumbnailUrl likeCount likedByViewer createdAt updatedAt
  author { username profile { avatarUrl } }`;

// The page of issue 12: 20 posts with their authors' profiles and first 3 likes with their users.
const GQL_LIST = `{
  posts(first: 20) {
    nodes {
      ${POST_FIELDS}
      author { profile { bio city } }
      likes(first: 3) { nodes { user { username } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const GQL_POST = `query Post($id: ID!) { post(id: $id) { ${POST_FIELDS} } }`;

const graphql = (query: string, variables?: Record<string, unknown>): LoadRequest => ({
  method: 'POST',
  path: '/graphql',
  headers: { ...json, accept: 'application/graphql-response+json' },
  body: JSON.stringify(variables ? { query, variables } : { query }),
});

function graphqlProblem(body: string): string | undefined {
  const { data, errors } = JSON.parse(body) as { data?: unknown; errors?: unknown[] };
  if (errors?.length) return `GraphQL errors: ${JSON.stringify(errors)}`;
  if (!data) return 'no data';
  return undefined;
}

/** The workload table of BENCH.md, in its order. */
export const WORKLOADS: Workload[] = [
  {
    id: 'list_anon',
    request: 'GET /api/v1/posts?limit=20',
    who: 'anonymous',
    kind: 'read',
    floor: 'floor_list',
    requests: () => [{ method: 'GET', path: LIST }],
  },
  {
    id: 'list_auth',
    request: 'GET /api/v1/posts?limit=20',
    who: 'signed in (liked_by_me)',
    kind: 'read',
    requests: (_, token) => [{ method: 'GET', path: LIST, headers: bearer(token) }],
  },
  {
    id: 'list_page5',
    request: 'fifth page by next_cursor',
    who: 'anonymous',
    kind: 'read',
    requests: (ctx) => [{ method: 'GET', path: ctx.page5Path }],
  },
  {
    id: 'post_get',
    request: 'GET /api/v1/posts/{id} (popular)',
    who: 'anonymous',
    kind: 'read',
    floor: 'floor_post',
    requests: (ctx) => [{ method: 'GET', path: `/api/v1/posts/${ctx.popularPostId}` }],
  },
  {
    id: 'post_create',
    request: 'POST /api/v1/posts (JSON)',
    who: 'signed in',
    kind: 'write',
    requests: (_, token) => [
      {
        method: 'POST',
        path: '/api/v1/posts',
        headers: { ...json, ...bearer(token) },
        body: JSON.stringify({ body: 'A benchmark post: short, plain, and JSON.' }),
      },
    ],
  },
  {
    id: 'like',
    request: 'PUT then DELETE /api/v1/posts/{id}/like',
    who: 'signed in',
    kind: 'write',
    requests: (ctx, token) => {
      const path = `/api/v1/posts/${ctx.popularPostId}/like`;
      return [
        { method: 'PUT', path, headers: bearer(token) },
        { method: 'DELETE', path, headers: bearer(token) },
      ];
    },
  },
  {
    id: 'login',
    request: 'POST /api/v1/auth/login',
    who: 'valid credentials',
    kind: 'login',
    requests: (ctx) => [
      {
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: json,
        body: JSON.stringify(ctx.login),
      },
    ],
  },
  {
    id: 'profile',
    request: 'GET /api/v1/profiles/{username}',
    who: 'anonymous',
    kind: 'read',
    // One indexed row by a unique key, like a post: the same floor.
    floor: 'floor_post',
    requests: (ctx) => [{ method: 'GET', path: `/api/v1/profiles/${ctx.profileUsername}` }],
  },
  {
    id: 'gql_list',
    request: 'POST /graphql: 20 posts, author { profile }, likes(first: 3) { user }',
    who: 'anonymous',
    kind: 'read',
    comparesTo: 'list_anon',
    problemIn: graphqlProblem,
    requests: () => [graphql(GQL_LIST)],
  },
  {
    id: 'gql_post',
    request: 'POST /graphql: post(id) (popular)',
    who: 'anonymous',
    kind: 'read',
    comparesTo: 'post_get',
    problemIn: graphqlProblem,
    requests: (ctx) => [graphql(GQL_POST, { id: ctx.popularPostId })],
  },
  {
    id: 'list_anon_cached',
    request: 'GET /api/v1/posts?limit=20 (edge cache warm)',
    who: 'anonymous',
    kind: 'read',
    server: 'ublog_cached',
    requests: () => [{ method: 'GET', path: LIST }],
  },
  {
    id: 'post_get_cached',
    request: 'GET /api/v1/posts/{id} (popular, edge cache warm)',
    who: 'anonymous',
    kind: 'read',
    server: 'ublog_cached',
    requests: (ctx) => [{ method: 'GET', path: `/api/v1/posts/${ctx.popularPostId}` }],
  },
  {
    id: 'stack_post',
    request: 'stack Worker: GET /api/v1/posts/{id} (popular)',
    who: 'anonymous',
    kind: 'read',
    server: 'stack',
    floor: 'floor_post',
    requests: (ctx) => [{ method: 'GET', path: `/api/v1/posts/${ctx.popularPostId}` }],
  },
  {
    id: 'stack_list',
    request: 'stack Worker: GET /api/v1/posts (20 posts)',
    who: 'anonymous',
    kind: 'read',
    server: 'stack',
    floor: 'floor_list',
    requests: () => [{ method: 'GET', path: LIST }],
  },
  {
    id: 'floor_post',
    request: 'floor Worker: GET /api/v1/posts/{id} (popular)',
    who: 'anonymous',
    kind: 'read',
    server: 'floor',
    requests: (ctx) => [{ method: 'GET', path: `/api/v1/posts/${ctx.popularPostId}` }],
  },
  {
    id: 'floor_list',
    request: 'floor Worker: GET /api/v1/posts (20 posts)',
    who: 'anonymous',
    kind: 'read',
    server: 'floor',
    requests: () => [{ method: 'GET', path: LIST }],
  },
];
