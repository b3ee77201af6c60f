import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/env';
import { signAccessToken } from '../../src/lib/tokens';
import { type DbCost, measure } from '../support/db-cost';
import { seedBenchData } from '../support/seed';
import { assertMatchesQuery } from './support';

/**
 * D1 statements and rows per GraphQL request on the BENCH.md data set at scale 1 and 4: each
 * level of the query is one batched statement (per-request DataLoaders), whatever the page
 * size, and the rows read do not grow with the data set.
 */
const SCALES = [1, 4] as const;
const MAX_STATEMENTS = 5;
// As for REST (test/posts/cost-per-request.test.ts): the page itself differs between the two
// seeds (how many distinct authors and likers, how many likes the newest posts have).
const ROWS_READ_TOLERANCE = 0.1;
const SEED_TIMEOUT_MS = 240_000;

const NESTED_PAGE = (first: number) => `{ posts(first: ${first}) {
  nodes { id body likeCount likedByViewer
    author { username profile { bio city avatarUrl } }
    likes(first: 3) { nodes { likedAt user { username } } } } } }`;

const figures: Record<number, Record<string, DbCost>> = {};

async function wipe() {
  await env.DB.batch(
    ['likes', 'posts', 'images', 'statuses', 'idempotency_keys', 'profiles', 'users'].map((t) =>
      env.DB.prepare(`delete from ${t}`),
    ),
  );
}

async function run(name: string, query: string, out: Record<string, DbCost>, token?: string) {
  const m = await measure('/graphql', { method: 'POST', json: { query }, token });
  expect(m.status, name).toBe(200);
  expect(m.body.errors, name).toBeUndefined();
  assertMatchesQuery(query, undefined, m.body.data);
  out[name] = m.cost;
  return m;
}

beforeAll(async () => {
  for (const scale of SCALES) {
    await wipe();
    const data = await seedBenchData(scale);
    const { token } = await signAccessToken(readConfig(env), {
      id: data.users[2]!.id,
      tokenGeneration: 0,
    });
    const out: Record<string, DbCost> = {};
    const page = await run('gql_list', NESTED_PAGE(20), out);
    expect(page.body.data.posts.nodes).toHaveLength(20);
    await run('gql_list_auth', NESTED_PAGE(20), out, token);
    await run('gql_list_100', NESTED_PAGE(100), out);
    const popular = data.posts.reduce((a, b) => (b.likeCount > a.likeCount ? b : a));
    await run(
      'gql_post',
      `{ post(id: "${popular.id}") { id body likeCount author { username } likes(first: 3) { nodes { user { username } } } } }`,
      out,
    );
    figures[scale] = out;
  }
  console.log(
    [
      'GraphQL D1 cost per request (scale 1 | scale 4):',
      ...Object.keys(figures[1] ?? {}).map((name) =>
        [
          name.padEnd(14),
          ...SCALES.map((s) => {
            const c = figures[s]?.[name];
            return `${c?.statements} stmt, read ${c?.rowsRead}, max params ${c?.maxParams}`.padEnd(
              40,
            );
          }),
        ].join(' | '),
      ),
    ].join('\n'),
  );
}, SEED_TIMEOUT_MS);

describe('GraphQL cost per request on the BENCH.md data set', () => {
  it.each(['gql_list', 'gql_list_auth', 'gql_post'])(
    '%s: at most 5 statements, rows read flat from scale 1 to 4, nothing written',
    (name) => {
      for (const scale of SCALES) {
        const cost = figures[scale]?.[name];
        expect(cost, `scale ${scale}`).toBeDefined();
        expect(cost!.statements, `scale ${scale}: ${cost!.log.join('\n')}`).toBeLessThanOrEqual(
          MAX_STATEMENTS,
        );
        expect(cost!.rowsWritten).toBe(0);
        expect(cost!.maxParams).toBeLessThanOrEqual(100);
      }
      const [one, four] = [figures[1]![name]!.rowsRead, figures[4]![name]!.rowsRead];
      expect(Math.abs(four - one)).toBeLessThanOrEqual(ROWS_READ_TOLERANCE * one);
    },
  );

  it('one statement per level whatever the page size: 20 and 100 posts cost the same statements', () => {
    for (const scale of SCALES) {
      // 100 posts and their 300 likes name more users than D1 may bind: still one statement.
      expect(figures[scale]!.gql_list_100!.maxParams).toBeLessThanOrEqual(100);
      expect(figures[scale]!.gql_list_100!.statements).toBe(figures[scale]!.gql_list!.statements);
      // Posts (with their authors and profiles), likes of the page, the likers.
      expect(figures[scale]!.gql_list!.statements).toBe(3);
      // The token's user lookup, as on REST.
      expect(figures[scale]!.gql_list_auth!.statements).toBe(4);
    }
  });
});
