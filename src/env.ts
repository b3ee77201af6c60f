import { z } from 'zod';
import type { Database } from './db/client';

/**
 * Secrets, and settings or bindings a deployment adds itself, are not in wrangler.toml, so
 * `wrangler types` cannot see them: declared here.
 */
export interface Secrets {
  JWT_SECRET: string;
  IP_HASH_SALT?: string;
  LIBSQL_URL?: string;
  LIBSQL_AUTH_TOKEN?: string;
  EMAIL_TRANSPORT?: string;
  EMAIL_FROM?: string;
  RESEND_API_KEY?: string;
  /** A [[send_email]] binding, used when EMAIL_TRANSPORT is send_email. */
  EMAIL?: SendEmail;
}

export type Bindings = Env & Secrets;

/** The settings that are secrets (`wrangler secret put`), so not visible to a local check. */
export const SECRET_NAMES: readonly (keyof Secrets)[] = [
  'JWT_SECRET',
  'IP_HASH_SALT',
  'LIBSQL_URL',
  'LIBSQL_AUTH_TOKEN',
  'RESEND_API_KEY',
];

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

/** Origins a browser can only reach on the machine itself: never trusted by a production API. */
const isLocalOrigin = (origin: unknown) => {
  if (typeof origin !== 'string' || !URL.canParse(origin)) return false;
  const host = new URL(origin).hostname;
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    host.startsWith('127.')
  );
};

// What @libsql/client/web can open: the Worker has no file system, so no file: URLs.
const WORKER_LIBSQL_URL = /^(libsql|https?|wss?):\/\//;

const MIN_PRODUCTION_SALT_CHARS = 16;

/**
 * Production refuses a short IP salt and local origins. Runs even when another setting is bad,
 * so one run names every problem (the values may then be as given, hence the defensive reads).
 */
function requireProductionSafety(
  config: { APP_ENV?: unknown; IP_HASH_SALT?: unknown; CORS_ORIGINS?: unknown },
  ctx: z.RefinementCtx,
) {
  if (config.APP_ENV !== 'production') return;
  if (String(config.IP_HASH_SALT ?? '').length < MIN_PRODUCTION_SALT_CHARS) {
    ctx.addIssue({
      code: 'custom',
      path: ['IP_HASH_SALT'],
      message: `IP_HASH_SALT must be at least ${MIN_PRODUCTION_SALT_CHARS} random characters when APP_ENV is production (a secret: wrangler secret put IP_HASH_SALT)`,
    });
  }
  if ([config.CORS_ORIGINS].flat().some(isLocalOrigin)) {
    ctx.addIssue({
      code: 'custom',
      path: ['CORS_ORIGINS'],
      message: 'CORS_ORIGINS may not list localhost or loopback origins when APP_ENV is production',
    });
  }
}

export const EMAIL_TRANSPORTS = ['send_email', 'resend', 'outbox'] as const;

const EmailSettings = z.object({
  /** send_email: the EMAIL binding; resend: Resend's HTTP API; outbox: a table (development). */
  EMAIL_TRANSPORT: z
    .enum(EMAIL_TRANSPORTS, { error: `must be one of ${EMAIL_TRANSPORTS.join(', ')}` })
    .optional(),
  /** The sender, `noreply@example.com` or `μblog <noreply@example.com>`. */
  EMAIL_FROM: z
    .string()
    .regex(/^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, {
      error: 'EMAIL_FROM must be an address, optionally with a name: μblog <noreply@example.com>',
    })
    .optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  // Only whether the binding exists is checked; it is not part of the parsed config.
  EMAIL: z.unknown().optional(),
});

/** Production sends real mail: a transport, its credentials and a sender must be configured. */
function requireMailTransport(
  config: z.infer<typeof EmailSettings> & { APP_ENV: string },
  ctx: z.RefinementCtx,
) {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  const transport = config.EMAIL_TRANSPORT;
  if (config.APP_ENV === 'production' && (!transport || transport === 'outbox')) {
    issue(
      'EMAIL_TRANSPORT',
      'production needs a mail transport: send_email (a [[send_email]] binding named EMAIL) or resend (the RESEND_API_KEY secret); the outbox table is for development only',
    );
  }
  if (transport === 'send_email' && !config.EMAIL) {
    issue('EMAIL', 'EMAIL_TRANSPORT=send_email needs a [[send_email]] binding named EMAIL');
  }
  if (transport === 'resend' && !config.RESEND_API_KEY) {
    issue('RESEND_API_KEY', 'EMAIL_TRANSPORT=resend needs the RESEND_API_KEY secret');
  }
  if ((transport === 'send_email' || transport === 'resend') && !config.EMAIL_FROM) {
    issue('EMAIL_FROM', `EMAIL_TRANSPORT=${transport} needs EMAIL_FROM, the sender address`);
  }
}

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
  /** How long anonymous public reads stay in the edge cache (src/lib/edge-cache.ts); 0 is off. */
  EDGE_CACHE_SECONDS: z.coerce
    .number({ error: 'EDGE_CACHE_SECONDS must be a whole number of seconds' })
    .int()
    .min(0)
    .max(86_400)
    .default(10),
  LIBSQL_URL: z
    .string()
    .refine((url) => url === '' || WORKER_LIBSQL_URL.test(url), {
      error:
        'LIBSQL_URL must be a libsql://, https:// or wss:// URL (http:// or ws:// for a local server); the Worker has no file system, so file: URLs are for npm run db:migrate:libsql only',
    })
    .optional(),
  LIBSQL_AUTH_TOKEN: z.string().optional(),
  /** `npm run bench` only: per-request D1 usage as a Server-Timing header (src/db/metrics.ts). */
  BENCH_METRICS: flag,
  ...EmailSettings.shape,
});

/** The settings as the Worker uses them: mail checked, the EMAIL binding left out. */
const CheckedConfigSchema = ConfigSchema.superRefine(requireProductionSafety, { when: () => true })
  .superRefine(requireMailTransport)
  .transform(({ EMAIL, ...config }) => ({
    ...config,
    EMAIL_TRANSPORT: config.EMAIL_TRANSPORT ?? ('outbox' as const),
  }));

export type Config = z.infer<typeof CheckedConfigSchema>;

/** One setting that is missing or malformed, and why; never its value. */
export interface SettingProblem {
  name: string;
  message: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: SettingProblem[];

  constructor(problems: SettingProblem[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.name}: ${p.message}`).join('; ')}`);
    this.problems = problems;
  }
}

/** Checks settings against the schema; what `npm run dev` and `npm run deploy` run first. */
export function checkConfig(
  env: Partial<Record<keyof Bindings, unknown>>,
): { ok: true; config: Config } | { ok: false; problems: SettingProblem[] } {
  const parsed = CheckedConfigSchema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  const problems = parsed.error.issues.map((issue) => ({
    name: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  return { ok: false, problems };
}

// `env` is the same object for every request an isolate serves, so it is parsed once.
const cache = new WeakMap<object, Config>();

export function readConfig(env: Partial<Bindings>): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const checked = checkConfig(env);
  if (!checked.ok) throw new ConfigError(checked.problems);
  cache.set(env, checked.config);
  return checked.config;
}
