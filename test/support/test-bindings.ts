/**
 * The settings the Worker under test gets on top of wrangler.toml's [vars]: the one place tests
 * take their configuration from (vitest.config.ts passes them to miniflare). A developer's
 * .dev.vars is never read by the tests.
 */
export const TEST_BINDINGS = {
  APP_ENV: 'test',
  CORS_ORIGINS: 'http://localhost:5173,http://localhost:8787',
  JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
  IP_HASH_SALT: 'test-salt',
  // The edge cache would serve one test's reads to the next; test/cache/ turns it on.
  EDGE_CACHE_SECONDS: '0',
};

/** Settings the tests take from the shell that runs them (the contract fuzzer's budget). */
export const SHELL_SETTINGS = ['FUZZ_RUNS', 'FUZZ_SEED'];
