import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/features/graphql/graphql.endpoint';
import sdlFile from '../../src/features/graphql/schema.graphql?raw';
import { SDL } from '../../src/features/graphql/schema.sdl';

/** schema.graphql is the source of truth; the Worker bundles it through schema.sdl.ts. */
describe('the GraphQL schema', () => {
  it('schema.sdl.ts is generated from schema.graphql (run: npx tsx scripts/graphql-schema.ts)', () => {
    expect(SDL).toBe(sdlFile);
  });

  it('the executable schema is exactly schema.graphql', () => {
    const print = (s: ReturnType<typeof buildSchema>) => printSchema(lexicographicSortSchema(s));
    expect(print(schema)).toBe(print(buildSchema(sdlFile)));
  });

  it('has the names GRAPHQL.md makes binding', () => {
    const fields = (type: string) =>
      Object.keys((schema.getType(type) as never as { getFields(): object }).getFields());
    expect(fields('Query')).toEqual(
      expect.arrayContaining(['viewer', 'user', 'post', 'posts', 'status', 'statuses', 'users']),
    );
    expect(fields('Mutation')).toEqual(
      expect.arrayContaining([
        'createPost',
        'updatePost',
        'deletePost',
        'likePost',
        'unlikePost',
        'createStatus',
        'updateStatus',
        'deleteStatus',
        'updateProfile',
      ]),
    );
    expect(fields('Post')).toEqual(
      expect.arrayContaining([
        'id',
        'body',
        'imageUrl',
        'thumbnailUrl',
        'author',
        'likeCount',
        'likedByViewer',
        'likes',
        'createdAt',
        'updatedAt',
      ]),
    );
    for (const connection of [
      'PostConnection',
      'StatusConnection',
      'UserConnection',
      'LikeConnection',
    ]) {
      expect(fields(connection)).toEqual(['edges', 'nodes', 'pageInfo']);
    }
  });
});
