import { describe, expect, it } from 'vitest';
import { measure } from '../support/db-cost';
import { codesOf } from './support';

/**
 * Each limit of GRAPHQL.md refuses its attack with its own code before any statement runs
 * (counted on the D1 binding itself).
 */
const postQuery = (json: unknown, headers?: Record<string, string>) =>
  measure('/graphql', { method: 'POST', json, headers });

const nest = (levels: number): string =>
  levels === 0 ? 'id' : `author { posts(first: 1) { nodes { ${nest(levels - 1)} } } }`;

const ATTACKS: [string, unknown, string][] = [
  ['depth', { query: `{ posts(first: 1) { nodes { ${nest(3)} } } }` }, 'query_too_deep'],
  [
    'aliases',
    { query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }` },
    'too_many_aliases',
  ],
  [
    'cost',
    {
      query:
        '{ posts(first: 100) { nodes { likes(first: 100) { nodes { user { username } } } } } }',
    },
    'query_too_costly',
  ],
  [
    'cost through a variable',
    {
      query:
        'query($n: Int) { posts(first: $n) { nodes { likes(first: $n) { nodes { user { username } } } } } }',
      variables: { n: 100 },
    },
    'query_too_costly',
  ],
  [
    'cost through fragments that fan out',
    {
      query: `query { posts(first: 100) { nodes { ...A } } }
        fragment A on Post { likes(first: 100) { nodes { user { ...B } } } }
        fragment B on User { posts(first: 100) { nodes { id } } }`,
    },
    'query_too_costly',
  ],
  ['tokens', { query: `{ ${'__typename '.repeat(5001)}}` }, 'query_too_large'],
  [
    'a batch (JSON array)',
    [{ query: '{ posts { nodes { id } } }' }, { query: '{ viewer { email } }' }],
    'batch_not_supported',
  ],
];

describe('GraphQL limits', () => {
  it.each(ATTACKS)('%s: refused with its code, no statement run', async (_name, body, code) => {
    const m = await postQuery(body);
    expect(codesOf(m.body), JSON.stringify(m.body).slice(0, 300)).toEqual([code]);
    expect(m.body.data).toBeUndefined();
    expect(m.cost.statements).toBe(0);
  });

  it.each(ATTACKS)(
    '%s: 400 when the client accepts application/graphql-response+json',
    async (_name, body, code) => {
      const m = await postQuery(body, { Accept: 'application/graphql-response+json' });
      expect(m.status).toBe(400);
      expect(codesOf(m.body)).toEqual([code]);
      expect(m.cost.statements).toBe(0);
    },
  );

  it('a query just inside the limits runs (depth 10, 30 aliases)', async () => {
    const ten = `{ posts(first: 1) { nodes { author { posts(first: 1) { nodes { author { posts(first: 1) { nodes { author { username } } } } } } } } } }`;
    const m = await postQuery({ query: ten });
    expect(m.body.errors).toBeUndefined();
    const aliases = await postQuery({
      query: `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
    });
    expect(aliases.body.errors).toBeUndefined();
  });

  it('several operations: runs the one operationName names, refuses when none is named', async () => {
    const query = 'query A { viewer { email } } query B { posts(first: 1) { nodes { id } } }';
    const named = await postQuery({ query, operationName: 'A' });
    expect(named.body).toEqual({ data: { viewer: null } });
    expect(named.cost.statements).toBe(0);
    const unnamed = await postQuery({ query });
    expect(codesOf(unnamed.body)).toEqual(['operation_not_found']);
    expect(unnamed.cost.statements).toBe(0);
  });

  it('syntax and validation errors never reach the database', async () => {
    const syntax = await postQuery({ query: '{ posts { ' });
    expect(codesOf(syntax.body)).toEqual(['graphql_parse_failed']);
    const invalid = await postQuery({ query: '{ posts { nodes { password } } }' });
    expect(codesOf(invalid.body)).toEqual(['graphql_validation_failed']);
    expect(syntax.cost.statements + invalid.cost.statements).toBe(0);
  });

  it('the JSON body limit of REST applies (413 as a GraphQL error)', async () => {
    const m = await postQuery({ query: `{ posts { nodes { id } } } # ${'x'.repeat(70_000)}` });
    expect(m.status).toBe(413);
    expect(codesOf(m.body)).toEqual(['payload_too_large']);
    expect(m.cost.statements).toBe(0);
  });
});
