import { describe, expect, it } from 'vitest';
import * as zodEntry from '../../node_modules/zod/index.js';
import * as zodCore from '../../node_modules/zod/v4/core/index.js';
import * as bundled from '../../src/lib/zod-bundle';

// The Worker's bundle maps `zod` to src/lib/zod-bundle (wrangler.toml [alias]): it must offer
// everything zod's own entry does (checked again on every zod upgrade) but the locales.
const names = (module: object) => Object.keys(module).sort();

describe('the bundled zod entry', () => {
  it('exports what zod exports, less locales', () => {
    expect(names(bundled)).toEqual(names(zodEntry).filter((name) => name !== 'locales'));
    expect(names(bundled.z)).toEqual(names(zodEntry.z).filter((name) => name !== 'locales'));
  });

  it('exports what zod/v4/core exports as z.core, less locales', () => {
    expect(names(bundled.z.core)).toEqual(names(zodCore).filter((name) => name !== 'locales'));
  });

  it('is the same zod: schemas built through it are zod schemas and speak English', () => {
    const schema = bundled.z.object({ title: bundled.z.string().min(3) });
    expect(schema).toBeInstanceOf(zodEntry.z.ZodObject);
    const result = schema.safeParse({ title: 'no' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'Too small: expected string to have >=3 characters',
    );
  });

  it('is what wrangler bundles for zod', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync('wrangler.toml', 'utf8')).toMatch(
      /\[alias\]\n"zod" = "\.\/src\/lib\/zod-bundle\/index\.ts"/,
    );
  });
});
