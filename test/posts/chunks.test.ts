import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertStatements } from '../../scripts/seed-data';
import { createDatabase } from '../../src/db/client';
import { findPostsByIds } from '../../src/features/posts/posts.queries';
import { chunk, chunkForParameters, MAX_BOUND_PARAMETERS } from '../../src/lib/chunks';
import { newId } from '../../src/lib/ids';
import { countingD1 } from '../support/db-cost';
import { createUser, type DirectUser } from './fixtures';

let author: DirectUser;
const ids: string[] = [];

beforeAll(async () => {
  author = await createUser();
  const now = Date.now();
  const rows = Array.from({ length: 1000 }, (_, i) => {
    const id = newId(now - i);
    ids.push(id);
    return [id, author.id, `bulk ${i}`, now - i, now - i] as const;
  });
  const statements = insertStatements(
    'posts',
    ['id', 'user_id', 'body', 'created_at', 'updated_at'],
    rows,
  );
  await env.DB.batch(statements.map((sql) => env.DB.prepare(sql)));
});

describe("IN lists stay within D1's 100 bound parameters", () => {
  it.each([
    [101, null, 2],
    [101, 'viewer', 2],
    [1000, null, 10],
    [1000, 'viewer', 11],
  ] as const)(
    'finds %i posts (viewer: %s) in %i statements of <= 100 parameters',
    async (n, viewer, statements) => {
      const counting = countingD1(env.DB);
      const wanted = [...ids.slice(0, n - 1), 'no-such-post'];
      const found = await findPostsByIds(
        createDatabase(counting.db),
        wanted,
        viewer === null ? null : author.id,
      );
      expect(found.map((p) => p.id)).toEqual(ids.slice(0, n - 1));
      expect(counting.cost.maxParams).toBeLessThanOrEqual(MAX_BOUND_PARAMETERS);
      expect(counting.cost.statements).toBe(statements);
      expect(counting.cost.batches).toBe(1);
    },
  );

  it('splits by parameters per item and fixed parameters', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunkForParameters(Array.from({ length: 101 }), 1).map((c) => c.length)).toEqual([
      100, 1,
    ]);
    expect(
      chunkForParameters(Array.from({ length: 1000 }), 3, 1).every((c) => c.length * 3 + 1 <= 100),
    ).toBe(true);
    expect(() => chunkForParameters([1], 101)).toThrow(RangeError);
  });
});
