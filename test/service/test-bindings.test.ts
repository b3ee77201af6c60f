import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import wranglerToml from '../../wrangler.toml?raw';
import { SHELL_SETTINGS, TEST_BINDINGS } from '../support/test-bindings';

/** The names under [vars] in wrangler.toml. */
function wranglerVarNames(toml: string): string[] {
  const section = toml.split(/^\[vars\]\s*$/m)[1]?.split(/^\[/m)[0] ?? '';
  return [...section.matchAll(/^([A-Z][A-Z0-9_]*)\s*=/gm)].map((m) => m[1] as string);
}

describe('test bindings', () => {
  it('come from wrangler.toml and the test config only, never from .dev.vars', () => {
    const allowed = new Set([
      ...wranglerVarNames(wranglerToml),
      ...Object.keys(TEST_BINDINGS),
      ...SHELL_SETTINGS,
    ]);
    const settings = Object.entries(env as unknown as Record<string, unknown>)
      .filter(([name, value]) => typeof value === 'string' && !name.startsWith('__VITEST'))
      .map(([name]) => name);
    expect(settings.filter((name) => !allowed.has(name))).toEqual([]);
    for (const [name, value] of Object.entries(TEST_BINDINGS)) {
      expect((env as unknown as Record<string, unknown>)[name]).toBe(value);
    }
    expect(env.LIBSQL_URL).toBeUndefined();
  });
});
