import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';

const ROOT = join(import.meta.dirname, '../..');

// wrangler's run_worker_first patterns: `*` matches anything, including `/`.
const toRegExp = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

describe('static assets', () => {
  it('every /docs file goes to the Worker first (so it carries X-Request-Id)', () => {
    const config = unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });
    const firstPatterns = [config.assets?.run_worker_first ?? []].flat();
    expect(firstPatterns).not.toEqual([]);
    const patterns = (firstPatterns as string[]).map(toRegExp);
    const dir = join(ROOT, 'public');
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `/${relative(dir, join(entry.parentPath, entry.name))}`);
    expect(files).toEqual(
      expect.arrayContaining([
        '/docs/assets/swagger-ui-bundle.js',
        '/graphql/assets/graphiql.min.js',
      ]),
    );
    expect(files.filter((path) => !patterns.some((re) => re.test(path)))).toEqual([]);
  });
});
