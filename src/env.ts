import { z } from 'zod';
import type { Database } from './db/client';

/** Secrets are not in wrangler.toml, so `wrangler types` cannot see them: declared here. */
export interface Secrets {
  JWT_SECRET: string;
  IP_HASH_SALT?: string;
  LIBSQL_URL?: string;
  LIBSQL_AUTH_TOKEN?: string;
}

export type Bindings = Env & Secrets;

/** What middleware puts on the context for handlers. */
export interface Variables {
  config: Config;
  db: Database;
  requestId: string;
  /** Set by the auth middleware when a valid bearer token is present. */
  auth?: AuthContext;
}

export interface AuthContext {
  userId: string;
  isAdmin: boolean;
  emailVerified: boolean;
  username: string;
}

export type AppEnv = { Bindings: Bindings; Variables: Variables };

const seconds = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number of seconds` })
    .int()
    .positive()
    .default(fallback);

const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be "true" or "false"' })
  .default('false')
  .transform((v) => v === 'true' || v === '1');

const ConfigSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('production'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ error: 'each entry must be an origin such as https://app.example' }))),
  JWT_SECRET: z
    .string({ error: 'JWT_SECRET is missing (a secret: .dev.vars locally, wrangler secret put)' })
    .min(32, { error: 'JWT_SECRET must be at least 32 characters' }),
  IP_HASH_SALT: z.string().default(''),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
  ACCESS_TOKEN_TTL_SECONDS: seconds('ACCESS_TOKEN_TTL_SECONDS', 900),
  REFRESH_TOKEN_TTL_SECONDS: seconds('REFRESH_TOKEN_TTL_SECONDS', 1_209_600),
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(10).default(10),
  /** The absolute lifetime of a refresh family (one login), however often it rotates. */
  REFRESH_FAMILY_MAX_DAYS: z.coerce
    .number({ error: 'REFRESH_FAMILY_MAX_DAYS must be a whole number of days' })
    .int({ error: 'REFRESH_FAMILY_MAX_DAYS must be a whole number of days' })
    .min(1, { error: 'REFRESH_FAMILY_MAX_DAYS must be at least 1' })
    .max(3650, { error: 'REFRESH_FAMILY_MAX_DAYS must be at most 3650' })
    .default(90),
  REQUIRE_VERIFIED_EMAIL: flag,
  REQUEST_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  MAX_JSON_BODY_BYTES: z.coerce.number().int().min(1024).default(65_536),
  LIBSQL_URL: z.string().optional(),
  LIBSQL_AUTH_TOKEN: z.string().optional(),
  /** `npm run bench` only: per-request D1 usage as a Server-Timing header (src/db/metrics.ts). */
  BENCH_METRICS: flag,
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

// `env` is the same object for every request an isolate serves, so it is parsed once.
const cache = new WeakMap<object, Config>();

export function readConfig(env: Partial<Bindings>): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
