import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { ConfigError, readConfig } from '../../src/env';
import { assertMatchesContract } from '../support/contract';

const valid = () => ({ ...env }) as Record<string, unknown>;
// Deliberately malformed settings: typed loosely on purpose.
const withChange = (change: Record<string, unknown>) => ({ ...valid(), ...change }) as never;

// A valid production configuration, the base the production-only rules are tested against.
const production = {
  APP_ENV: 'production',
  CORS_ORIGINS: 'https://app.example',
  IP_HASH_SALT: 'a-salt-of-sixteen-chars-or-more',
  EMAIL_TRANSPORT: 'resend',
  RESEND_API_KEY: 're_test_key',
  EMAIL_FROM: 'noreply@ublog.example',
};

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
    ['a file: libSQL URL the Worker cannot open', { LIBSQL_URL: 'file:local.db' }, 'LIBSQL_URL'],
    ['no IP salt in production', { ...production, IP_HASH_SALT: undefined }, 'IP_HASH_SALT'],
    [
      'a short IP salt in production',
      { ...production, IP_HASH_SALT: 'short-salt' },
      'IP_HASH_SALT',
    ],
    [
      'a localhost origin in production',
      { ...production, CORS_ORIGINS: 'https://app.example,http://localhost:5173' },
      'CORS_ORIGINS',
    ],
    [
      'a loopback origin in production',
      { ...production, CORS_ORIGINS: 'http://127.0.0.1:8787' },
      'CORS_ORIGINS',
    ],
  ])('fails on %s with a message naming the setting', (_name, change, setting) => {
    expect(() => readConfig(withChange(change))).toThrow(ConfigError);
    expect(() => readConfig(withChange(change))).toThrow(setting);
  });

  describe('mail transport', () => {
    // A production configuration that is right in every other respect.
    const production = (change: Record<string, unknown>) =>
      withChange({
        APP_ENV: 'production',
        IP_HASH_SALT: 'a-production-salt-of-enough-length',
        CORS_ORIGINS: 'https://app.ublog.example',
        EMAIL_FROM: 'noreply@ublog.example',
        ...change,
      });

    it.each([
      ['no transport', {}, 'EMAIL_TRANSPORT'],
      ['the development outbox', { EMAIL_TRANSPORT: 'outbox' }, 'EMAIL_TRANSPORT'],
      ['resend without its key', { EMAIL_TRANSPORT: 'resend' }, 'RESEND_API_KEY'],
      [
        'send_email without the binding',
        { EMAIL_TRANSPORT: 'send_email', EMAIL: undefined },
        'EMAIL',
      ],
      [
        'a transport without a sender',
        { EMAIL_TRANSPORT: 'resend', RESEND_API_KEY: 're_x', EMAIL_FROM: undefined },
        'EMAIL_FROM',
      ],
      ['an unknown transport', { EMAIL_TRANSPORT: 'pigeon' }, 'EMAIL_TRANSPORT'],
    ])('production with %s fails naming the setting', (_name, change, setting) => {
      expect(() => readConfig(production(change))).toThrow(ConfigError);
      expect(() => readConfig(production(change))).toThrow(setting);
    });

    it('production accepts the binding or the HTTP provider, and keeps the key out of errors', () => {
      expect(readConfig(production({ EMAIL_TRANSPORT: 'send_email' })).EMAIL_TRANSPORT).toBe(
        'send_email',
      );
      const resend = readConfig(
        production({ EMAIL_TRANSPORT: 'resend', RESEND_API_KEY: 're_secret_key' }),
      );
      expect(resend).toMatchObject({ EMAIL_TRANSPORT: 'resend', RESEND_API_KEY: 're_secret_key' });
      const badSender = production({
        EMAIL_TRANSPORT: 'resend',
        RESEND_API_KEY: 're_secret_key',
        EMAIL_FROM: 'nope',
      });
      expect(() => readConfig(badSender)).toThrow('EMAIL_FROM');
      expect(() => readConfig(badSender)).not.toThrow('re_secret_key');
    });

    it('outside production the outbox is the default', () => {
      expect(readConfig(valid()).EMAIL_TRANSPORT).toBe('outbox');
    });
  });

  it('accepts a production configuration with a long salt and no local origins', () => {
    const config = readConfig(withChange(production));
    expect(config.APP_ENV).toBe('production');
    expect(config.CORS_ORIGINS).toEqual(['https://app.example']);
  });

  it.each(['libsql://ublog-org.turso.io', 'https://ublog-org.turso.io', 'http://127.0.0.1:8080'])(
    'accepts the libSQL URL %s',
    (url) => {
      expect(readConfig(withChange({ LIBSQL_URL: url })).LIBSQL_URL).toBe(url);
    },
  );

  it('answers API routes with a plain 500 problem, without the settings, when misconfigured', async () => {
    const res = await createApp().request(
      '/api/v1/posts',
      {},
      { ...valid(), JWT_SECRET: 'short-secret-value' },
    );
    expect(res.status).toBe(500);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const body = await res.text();
    expect(body).not.toContain('JWT_SECRET');
    expect(body).not.toContain('short-secret-value');
  });

  it('answers /health with 503 naming each bad setting, never its value', async () => {
    const res = await createApp().request(
      '/health',
      {},
      { ...valid(), JWT_SECRET: 'short-secret-value', LIBSQL_URL: 'file:secret-path.db' },
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('X-Request-Id')).toBeTruthy();
    const text = await res.text();
    expect(text).not.toContain('short-secret-value');
    expect(text).not.toContain('secret-path');
    const body = JSON.parse(text);
    expect(body.status).toBe('misconfigured');
    expect(body.invalid_settings.map((s: { name: string }) => s.name).sort()).toEqual([
      'JWT_SECRET',
      'LIBSQL_URL',
    ]);
    assertMatchesContract('GET', 'http://localhost/health', res, body);
  });
});
