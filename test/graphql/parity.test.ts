import { beforeAll, describe, expect, it } from 'vitest';
import { makeAdmin, signUp } from '../support/auth';
import { measure } from '../support/db-cost';
import { post } from '../support/http';

/**
 * One table of access and validation cases, run through both APIs: REST's problem `code` and
 * GraphQL's `extensions.code` must both be what the table says (or both succeed).
 */
type Actor = 'anonymous' | 'owner' | 'other' | 'admin';
type Target = 'post' | 'status' | 'missing';

interface Action {
  target: Target | 'none';
  rest: (id: string) => { method: string; path: string; json?: unknown };
  gql: (id: string) => string;
}

const MISSING_ID = '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11';

const ACTIONS = {
  updatePost: {
    target: 'post',
    rest: (id) => ({ method: 'PATCH', path: `/api/v1/posts/${id}`, json: { body: 'edited' } }),
    gql: (id) => `mutation { updatePost(id: "${id}", body: "edited") { id } }`,
  },
  deletePost: {
    target: 'post',
    rest: (id) => ({ method: 'DELETE', path: `/api/v1/posts/${id}` }),
    gql: (id) => `mutation { deletePost(id: "${id}") }`,
  },
  likePost: {
    target: 'post',
    rest: (id) => ({ method: 'PUT', path: `/api/v1/posts/${id}/like` }),
    gql: (id) => `mutation { likePost(id: "${id}") { likeCount } }`,
  },
  unlikePost: {
    target: 'post',
    rest: (id) => ({ method: 'DELETE', path: `/api/v1/posts/${id}/like` }),
    gql: (id) => `mutation { unlikePost(id: "${id}") { likeCount } }`,
  },
  updateStatus: {
    target: 'status',
    rest: (id) => ({
      method: 'PATCH',
      path: `/api/v1/statuses/${id}`,
      json: { content: 'edited' },
    }),
    gql: (id) => `mutation { updateStatus(id: "${id}", content: "edited") { id } }`,
  },
  deleteStatus: {
    target: 'status',
    rest: (id) => ({ method: 'DELETE', path: `/api/v1/statuses/${id}` }),
    gql: (id) => `mutation { deleteStatus(id: "${id}") }`,
  },
  createEmptyPost: {
    target: 'none',
    rest: () => ({ method: 'POST', path: '/api/v1/posts', json: { body: ' ' } }),
    gql: () => 'mutation { createPost(body: " ") { id } }',
  },
  createLongStatus: {
    target: 'none',
    rest: () => ({ method: 'POST', path: '/api/v1/statuses', json: { content: 'x'.repeat(241) } }),
    gql: () => `mutation { createStatus(content: "${'x'.repeat(241)}") { id } }`,
  },
  updateLongBio: {
    target: 'none',
    rest: () => ({ method: 'PATCH', path: '/api/v1/profiles/me', json: { bio: 'x'.repeat(241) } }),
    gql: () => `mutation { updateProfile(bio: "${'x'.repeat(241)}") { id } }`,
  },
} satisfies Record<string, Action>;

type Case = [keyof typeof ACTIONS, Actor, Target | 'none', string];

const CASES: Case[] = [
  ['updatePost', 'anonymous', 'post', 'unauthenticated'],
  ['updatePost', 'owner', 'post', 'ok'],
  ['updatePost', 'other', 'post', 'not_owner'],
  ['updatePost', 'admin', 'post', 'ok'],
  ['updatePost', 'owner', 'missing', 'post_not_found'],
  ['deletePost', 'anonymous', 'post', 'unauthenticated'],
  ['deletePost', 'owner', 'post', 'ok'],
  ['deletePost', 'other', 'post', 'not_owner'],
  ['deletePost', 'admin', 'post', 'ok'],
  ['deletePost', 'admin', 'missing', 'post_not_found'],
  ['likePost', 'anonymous', 'post', 'unauthenticated'],
  ['likePost', 'other', 'post', 'ok'],
  ['likePost', 'other', 'missing', 'post_not_found'],
  ['unlikePost', 'other', 'post', 'ok'],
  ['unlikePost', 'other', 'missing', 'post_not_found'],
  ['updateStatus', 'anonymous', 'status', 'unauthenticated'],
  ['updateStatus', 'owner', 'status', 'ok'],
  ['updateStatus', 'other', 'status', 'not_owner'],
  // Statuses are editable by their author only, even for an administrator.
  ['updateStatus', 'admin', 'status', 'not_owner'],
  ['updateStatus', 'owner', 'missing', 'status_not_found'],
  ['deleteStatus', 'owner', 'status', 'ok'],
  ['deleteStatus', 'other', 'status', 'not_owner'],
  ['deleteStatus', 'admin', 'status', 'ok'],
  ['createEmptyPost', 'owner', 'none', 'validation_failed'],
  ['createLongStatus', 'owner', 'none', 'validation_failed'],
  ['updateLongBio', 'owner', 'none', 'validation_failed'],
];

const tokens = {} as Record<Exclude<Actor, 'anonymous'>, string>;

beforeAll(async () => {
  const [owner, other, admin] = [await signUp(), await signUp(), await signUp()];
  await makeAdmin(admin.user.id);
  Object.assign(tokens, { owner: owner.token, other: other.token, admin: admin.token });
});

async function targetId(target: Target | 'none'): Promise<string> {
  if (target === 'post') {
    return (await post('/api/v1/posts', { body: 'parity' }, { token: tokens.owner })).body.id;
  }
  if (target === 'status') {
    return (await post('/api/v1/statuses', { content: 'parity' }, { token: tokens.owner })).body.id;
  }
  return MISSING_ID;
}

const tokenOf = (actor: Actor) => (actor === 'anonymous' ? undefined : tokens[actor]);

type Bindings = Record<string, string>;

async function viaRest(action: Action, actor: Actor, id: string, bindings?: Bindings) {
  const { method, path, json } = action.rest(id);
  const res = await measure(path, { method, json, token: tokenOf(actor), bindings });
  return res.status < 300 ? 'ok' : res.body.code;
}

async function viaGraphQL(action: Action, actor: Actor, id: string, bindings?: Bindings) {
  const res = await measure('/graphql', {
    method: 'POST',
    json: { query: action.gql(id) },
    token: tokenOf(actor),
    bindings,
  });
  return res.body.errors ? res.body.errors[0].extensions.code : 'ok';
}

describe('REST and GraphQL agree on access and validation', () => {
  it.each(CASES)('%s by %s on a %s: %s', async (name, actor, target, expected) => {
    const action: Action = ACTIONS[name];
    const rest = await viaRest(action, actor, await targetId(target));
    const graphql = await viaGraphQL(action, actor, await targetId(target));
    expect({ rest, graphql }).toEqual({ rest: expected, graphql: expected });
  });

  it('with REQUIRE_VERIFIED_EMAIL, an unverified writer gets email_not_verified from both', async () => {
    const bindings = { REQUIRE_VERIFIED_EMAIL: 'true' };
    for (const name of ['updatePost', 'likePost', 'updateLongBio'] as const) {
      const action: Action = ACTIONS[name];
      const rest = await viaRest(action, 'owner', await targetId(action.target), bindings);
      const graphql = await viaGraphQL(action, 'owner', await targetId(action.target), bindings);
      expect({ name, rest, graphql }).toEqual({
        name,
        rest: 'email_not_verified',
        graphql: 'email_not_verified',
      });
    }
  });
});
