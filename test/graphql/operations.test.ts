import { describe, expect, it } from 'vitest';
import { makeAdmin, signUp } from '../support/auth';
import { get, post, put } from '../support/http';
import { codesOf, gql, gqlData } from './support';

/** Every query and mutation of GRAPHQL.md, anonymous and signed in. */

const POST_FIELDS = `id body imageUrl thumbnailUrl likeCount likedByViewer createdAt updatedAt
  author { id username createdAt postCount profile { bio city avatarUrl } }`;

async function restPost(token: string, body: string) {
  const res = await post('/api/v1/posts', { body }, { token });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

describe('queries', () => {
  it('viewer: null when anonymous; the account when signed in', async () => {
    expect(await gqlData('{ viewer { email } }')).toEqual({ viewer: null });
    const alice = await signUp();
    const data = await gqlData(
      '{ viewer { email emailVerified isAdmin user { id username postCount profile { bio city avatarUrl } } } }',
      { token: alice.token },
    );
    expect(data.viewer).toEqual({
      email: alice.email,
      emailVerified: false,
      isAdmin: false,
      user: {
        id: alice.user.id,
        username: alice.username,
        postCount: 0,
        profile: { bio: '', city: '', avatarUrl: null },
      },
    });
  });

  it('user: by username (case-insensitive), null when unknown, with posts and statuses', async () => {
    const alice = await signUp();
    await restPost(alice.token, 'first');
    await restPost(alice.token, 'second');
    await post('/api/v1/statuses', { content: 'hello' }, { token: alice.token });
    const data = await gqlData(
      `query($name: String!) { user(username: $name) { username postCount
        posts(first: 1) { nodes { body } pageInfo { hasNextPage endCursor } }
        statuses { nodes { content author { username } } } } }`,
      { variables: { name: alice.username.toUpperCase() } },
    );
    expect(data.user.username).toBe(alice.username);
    expect(data.user.postCount).toBe(2);
    expect(data.user.posts.nodes).toEqual([{ body: 'second' }]);
    expect(data.user.posts.pageInfo.hasNextPage).toBe(true);
    expect(data.user.statuses.nodes).toEqual([
      { content: 'hello', author: { username: alice.username } },
    ]);
    const next = await gqlData(
      'query($name: String!, $after: String) { user(username: $name) { posts(first: 1, after: $after) { nodes { body } pageInfo { hasNextPage } } } }',
      { variables: { name: alice.username, after: data.user.posts.pageInfo.endCursor } },
    );
    expect(next.user.posts).toEqual({
      nodes: [{ body: 'first' }],
      pageInfo: { hasNextPage: false },
    });
    expect(await gqlData('{ user(username: "nobody_here_at_all") { id } }')).toEqual({
      user: null,
    });
  });

  it('post: the same post as REST, likedByViewer for the caller, null when unknown', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const created = await restPost(alice.token, 'a post');
    await put(`/api/v1/posts/${created.id}/like`, undefined, { token: bob.token });
    const query = `query($id: ID!) { post(id: $id) { ${POST_FIELDS} likes { nodes { likedAt user { username } } } } }`;
    const anon = await gqlData(query, { variables: { id: created.id } });
    const rest = (await get(`/api/v1/posts/${created.id}`)).body;
    expect(anon.post).toMatchObject({
      id: rest.id,
      body: rest.body,
      imageUrl: null,
      thumbnailUrl: null,
      likeCount: 1,
      likedByViewer: false,
      createdAt: rest.created_at,
      updatedAt: rest.updated_at,
      author: { id: alice.user.id, username: alice.username, postCount: 1 },
    });
    expect(anon.post.likes.nodes).toEqual([
      { likedAt: expect.any(String), user: { username: bob.username } },
    ]);
    const asBob = await gqlData(query, { variables: { id: created.id }, token: bob.token });
    expect(asBob.post.likedByViewer).toBe(true);
    const missing = await gqlData('{ post(id: "01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11") { id } }');
    expect(missing).toEqual({ post: null });
  });

  it('posts: newest first, author and likedBy filters, edges with cursors, REST cursors interchangeable', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const a1 = await restPost(alice.token, 'a1');
    const a2 = await restPost(alice.token, 'a2');
    const b1 = await restPost(bob.token, 'b1');
    await put(`/api/v1/posts/${a1.id}/like`, undefined, { token: bob.token });
    const byAlice = await gqlData(
      `query($a: String) { posts(author: $a) { edges { cursor node { id } } nodes { id } pageInfo { hasNextPage endCursor } } }`,
      { variables: { a: alice.username } },
    );
    expect(byAlice.posts.nodes.map((n: { id: string }) => n.id)).toEqual([a2.id, a1.id]);
    expect(byAlice.posts.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([
      a2.id,
      a1.id,
    ]);
    expect(byAlice.posts.pageInfo).toEqual({
      hasNextPage: false,
      endCursor: byAlice.posts.edges[1].cursor,
    });
    const liked = await gqlData('query($b: String) { posts(likedBy: $b) { nodes { id } } }', {
      variables: { b: bob.username },
    });
    expect(liked.posts.nodes).toEqual([{ id: a1.id }]);
    // A cursor from REST's ?author= list works as `after` here, and the other way round.
    const restPage = await get(`/api/v1/posts?author=${alice.username}&limit=1`);
    const viaRest = await gqlData(
      'query($a: String, $c: String) { posts(author: $a, after: $c) { nodes { id } } }',
      {
        variables: { a: alice.username, c: restPage.body.next_cursor },
      },
    );
    expect(viaRest.posts.nodes).toEqual([{ id: a1.id }]);
    const first = await gqlData(
      'query($a: String) { posts(author: $a, first: 1) { pageInfo { endCursor } } }',
      {
        variables: { a: alice.username },
      },
    );
    const restNext = await get(
      `/api/v1/posts?author=${alice.username}&cursor=${encodeURIComponent(first.posts.pageInfo.endCursor)}`,
    );
    expect(restNext.body.items.map((p: { id: string }) => p.id)).toEqual([a1.id]);
    // ...but a cursor from another list is refused, as REST refuses it.
    const foreign = await gql('query($c: String) { posts(after: $c) { nodes { id } } }', {
      variables: { c: first.posts.pageInfo.endCursor },
    });
    expect(codesOf(foreign.body)).toEqual(['invalid_cursor:after']);
    const all = await gqlData('{ posts(first: 100) { nodes { id } } }');
    expect(all.posts.nodes.map((n: { id: string }) => n.id).slice(0, 3)).toEqual([
      b1.id,
      a2.id,
      a1.id,
    ]);
  });

  it('status and statuses', async () => {
    const alice = await signUp();
    const s = (await post('/api/v1/statuses', { content: 'up' }, { token: alice.token })).body;
    const one = await gqlData(
      'query($id: ID!) { status(id: $id) { id content createdAt updatedAt author { username } } }',
      { variables: { id: s.id } },
    );
    expect(one.status).toEqual({
      id: s.id,
      content: 'up',
      createdAt: s.created_at,
      updatedAt: s.updated_at,
      author: { username: alice.username },
    });
    const list = await gqlData('query($u: String) { statuses(username: $u) { nodes { id } } }', {
      variables: { u: alice.username },
    });
    expect(list.statuses.nodes).toEqual([{ id: s.id }]);
    expect(await gqlData('{ status(id: "01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11") { id } }')).toEqual({
      status: null,
    });
  });

  it('users: newest first, prefix search', async () => {
    const alice = await signUp();
    const data = await gqlData(
      'query($q: String) { users(q: $q, first: 5) { nodes { id username } } }',
      {
        variables: { q: alice.username.slice(0, alice.username.length - 2) },
      },
    );
    expect(data.users.nodes).toContainEqual({ id: alice.user.id, username: alice.username });
  });

  it('first outside 1..100 is validation_failed on first', async () => {
    for (const first of [0, 101]) {
      const res = await gql(`{ posts(first: ${first}) { nodes { id } } }`);
      expect(codesOf(res.body)).toEqual(['validation_failed:first']);
    }
  });
});

describe('mutations', () => {
  it('anonymous callers get unauthenticated for every mutation', async () => {
    const id = '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11';
    const mutations = [
      'createPost(body: "x") { id }',
      `updatePost(id: "${id}", body: "x") { id }`,
      `deletePost(id: "${id}")`,
      `likePost(id: "${id}") { id }`,
      `unlikePost(id: "${id}") { id }`,
      'createStatus(content: "x") { id }',
      `updateStatus(id: "${id}", content: "x") { id }`,
      `deleteStatus(id: "${id}")`,
      'updateProfile(bio: "x") { id }',
    ];
    for (const m of mutations) {
      const res = await gql(`mutation { ${m} }`);
      expect(res.status).toBe(200);
      expect(codesOf(res.body), m).toEqual(['unauthenticated']);
      expect(res.body.data).toBeNull();
    }
  });

  it('posts: create, update, like, unlike, delete; counters move as over REST', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const created = await gqlData(`mutation { createPost(body: "hi") { ${POST_FIELDS} } }`, {
      token: alice.token,
    });
    const id = created.createPost.id;
    expect(created.createPost).toMatchObject({
      body: 'hi',
      likeCount: 0,
      author: { postCount: 1 },
    });
    expect((await get(`/api/v1/posts/${id}`)).body.body).toBe('hi');
    const updated = await gqlData(
      'mutation($id: ID!) { updatePost(id: $id, body: "edited") { body updatedAt } }',
      {
        token: alice.token,
        variables: { id },
      },
    );
    expect(updated.updatePost.body).toBe('edited');
    const like = 'mutation($id: ID!) { likePost(id: $id) { likeCount likedByViewer } }';
    expect(await gqlData(like, { token: bob.token, variables: { id } })).toEqual({
      likePost: { likeCount: 1, likedByViewer: true },
    });
    // Idempotent, as PUT /like is.
    expect(await gqlData(like, { token: bob.token, variables: { id } })).toEqual({
      likePost: { likeCount: 1, likedByViewer: true },
    });
    const unlike = 'mutation($id: ID!) { unlikePost(id: $id) { likeCount likedByViewer } }';
    expect(await gqlData(unlike, { token: bob.token, variables: { id } })).toEqual({
      unlikePost: { likeCount: 0, likedByViewer: false },
    });
    expect(await gqlData(unlike, { token: bob.token, variables: { id } })).toEqual({
      unlikePost: { likeCount: 0, likedByViewer: false },
    });
    expect(
      await gqlData('mutation($id: ID!) { deletePost(id: $id) }', {
        token: alice.token,
        variables: { id },
      }),
    ).toEqual({ deletePost: id });
    expect((await get(`/api/v1/posts/${id}`)).status).toBe(404);
    expect((await get(`/api/v1/profiles/${alice.username}`)).body.post_count).toBe(0);
  });

  it('statuses: create, update, delete', async () => {
    const alice = await signUp();
    const created = await gqlData(
      'mutation { createStatus(content: "s") { id content author { username } } }',
      {
        token: alice.token,
      },
    );
    const id = created.createStatus.id;
    expect(created.createStatus.author.username).toBe(alice.username);
    const updated = await gqlData(
      'mutation($id: ID!) { updateStatus(id: $id, content: "t") { content } }',
      {
        token: alice.token,
        variables: { id },
      },
    );
    expect(updated.updateStatus.content).toBe('t');
    expect(
      await gqlData('mutation($id: ID!) { deleteStatus(id: $id) }', {
        token: alice.token,
        variables: { id },
      }),
    ).toEqual({
      deleteStatus: id,
    });
    expect((await get(`/api/v1/statuses/${id}`)).status).toBe(404);
  });

  it('updateProfile: null keeps a value, "" clears it', async () => {
    const alice = await signUp();
    const set = await gqlData(
      'mutation { updateProfile(bio: "b", city: "c") { profile { bio city } } }',
      {
        token: alice.token,
      },
    );
    expect(set.updateProfile.profile).toEqual({ bio: 'b', city: 'c' });
    const keep = await gqlData(
      'mutation { updateProfile(bio: null, city: "") { profile { bio city } } }',
      {
        token: alice.token,
      },
    );
    expect(keep.updateProfile.profile).toEqual({ bio: 'b', city: '' });
    expect((await get(`/api/v1/profiles/${alice.username}`)).body).toMatchObject({
      bio: 'b',
      city: '',
    });
  });

  it('validation: the REST limits with the argument as field', async () => {
    const alice = await signUp();
    const cases: [string, string][] = [
      ['createPost(body: "") { id }', 'validation_failed:body'],
      [`createPost(body: "${'x'.repeat(5001)}") { id }`, 'validation_failed:body'],
      ['createPost(body: "   ") { id }', 'validation_failed:body'],
      [`createStatus(content: "${'x'.repeat(241)}") { id }`, 'validation_failed:content'],
      [`updateProfile(city: "${'x'.repeat(31)}") { id }`, 'validation_failed:city'],
      [`updatePost(id: "${'x'.repeat(65)}", body: "x") { id }`, 'validation_failed:id'],
    ];
    for (const [m, code] of cases) {
      expect(codesOf((await gql(`mutation { ${m} }`, { token: alice.token })).body), m).toEqual([
        code,
      ]);
    }
  });

  it('admins may edit and delete any post; not_owner for others; post_not_found', async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const admin = await signUp();
    await makeAdmin(admin.user.id);
    const { id } = await restPost(alice.token, 'mine');
    const edit = 'mutation($id: ID!) { updatePost(id: $id, body: "changed") { body } }';
    expect(codesOf((await gql(edit, { token: mallory.token, variables: { id } })).body)).toEqual([
      'not_owner',
    ]);
    expect(await gqlData(edit, { token: admin.token, variables: { id } })).toEqual({
      updatePost: { body: 'changed' },
    });
    const missing = '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11';
    expect(
      codesOf((await gql(edit, { token: admin.token, variables: { id: missing } })).body),
    ).toEqual(['post_not_found']);
  });
});
