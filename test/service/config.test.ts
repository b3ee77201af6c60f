import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { ConfigError, readConfig } from '../../src/env';

const valid = () => ({ ...env }) as Record<string, unknown>;
// Deliberately malformed settings: typed loosely on purpose.
const withChange = (change: Record<string, unknown>) => ({ ...valid(), ...change }) as never;

describe('configuration', () => {
  it('reads the test settings once and caches them per env object', () => {
    const bindings = valid();
    const config = readConfig(bindings);
    expect(config.ACCESS_TOKEN_TTL_SECONDS).toBe(900);
    expect(config.CORS_ORIGINS).toContain('http://localhost:5173');
    expect(readConfig(bindings)).toBe(config);
  });

  it.each([
    ['a missing secret', { JWT_SECRET: undefined }, 'JWT_SECRET'],
    ['a short secret', { JWT_SECRET: 'short' }, 'JWT_SECRET'],
    ['a non-numeric lifetime', { ACCESS_TOKEN_TTL_SECONDS: 'soon' }, 'ACCESS_TOKEN_TTL_SECONDS'],
    ['a bad origin', { CORS_ORIGINS: 'not a url' }, 'CORS_ORIGINS'],
    ['a bad flag', { REQUIRE_VERIFIED_EMAIL: 'maybe' }, 'REQUIRE_VERIFIED_EMAIL'],
  ])('fails on %s with a message naming the setting', (_name, change, setting) => {
    expect(() => readConfig(withChange(change))).toThrow(ConfigError);
    expect(() => readConfig(withChange(change))).toThrow(setting);
  });

  it('answers a plain 500 problem, without the setting values, when misconfigured', async () => {
    const res = await createApp().request('/health', {}, { ...valid(), JWT_SECRET: 'short' });
    expect(res.status).toBe(500);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const body = await res.text();
    expect(body).not.toContain('JWT_SECRET');
    expect(body).not.toContain('short');
  });
});
