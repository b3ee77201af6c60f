import { exports } from 'cloudflare:workers';
import { auditServer } from 'graphql-http';
import { describe, expect, it } from 'vitest';

/**
 * The GraphQL-over-HTTP server audit by the specification's authors (graphql-http), run
 * against the Worker's own fetch handler, the entry point production uses.
 */
describe('graphql-http server audit', () => {
  it('passes every MUST and every SHOULD', async () => {
    const results = await auditServer({
      url: 'http://localhost/graphql',
      fetchFn: (input: RequestInfo, init?: RequestInit) =>
        exports.default.fetch(new Request(input, init)),
    });
    const summary = (level: string) => {
      const of = results.filter((r) => r.name.startsWith(level));
      return { total: of.length, failed: of.filter((r) => r.status !== 'ok') };
    };
    const must = summary('MUST');
    const should = summary('SHOULD');
    console.log(
      `graphql-http audit: MUST ${must.total - must.failed.length}/${must.total}, SHOULD ${should.total - should.failed.length}/${should.total}, MAY ${results.filter((r) => r.name.startsWith('MAY') && r.status === 'ok').length}/${results.filter((r) => r.name.startsWith('MAY')).length}`,
    );
    const failures = (list: typeof results) =>
      list.map((r) => `${r.name}: ${'reason' in r ? r.reason : r.status}`);
    expect(must.total).toBeGreaterThan(0);
    expect(failures(must.failed)).toEqual([]);
    expect(failures(should.failed)).toEqual([]);
  });
});
