import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { unstable_startWorker } from 'wrangler';

export const ROOT = join(import.meta.dirname, '..', '..');

// Nothing leaves the machine: no Request.cf download, no usage metrics, no update check.
Object.assign(process.env, {
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  WRANGLER_LOG: process.env.WRANGLER_LOG ?? 'warn',
});

const FIRST_ANSWER_TIMEOUT_MS = 60_000;

export interface LocalWorkerOptions {
  /** Like `wrangler dev --persist-to`; false keeps local D1/R2 in memory. */
  persistTo: string | false;
  /** Extra plain-text vars (e.g. BENCH_METRICS). */
  vars?: Record<string, string>;
  /** Bindings that replace the config's (wrangler's startWorker binding format). */
  bindings?: Record<string, unknown>;
  config?: string;
}

export interface LocalWorker {
  url: URL;
  dispose(): Promise<void>;
}

/**
 * The Worker as `wrangler dev` runs it (same config, bindings, static assets, local D1/R2),
 * through wrangler's API on a free loopback port.
 */
export async function startLocalWorker(options: LocalWorkerOptions): Promise<LocalWorker> {
  const secrets = {
    // Throwaway secrets for this run (they override .dev.vars when there is one).
    JWT_SECRET: randomBytes(32).toString('base64url'),
    IP_HASH_SALT: randomBytes(16).toString('base64url'),
  };
  const bindings = Object.fromEntries([
    ...Object.entries(secrets).map(([k, value]) => [k, { type: 'secret_text', value }]),
    // A local run, as `npm run dev` (whose .dev.vars says the same): production would
    // refuse to start without a mail transport, and mail here belongs in the outbox.
    ...Object.entries({ APP_ENV: 'development', ...options.vars }).map(([k, value]) => [
      k,
      { type: 'plain_text', value },
    ]),
    ...Object.entries(options.bindings ?? {}),
  ]);
  const worker = await unstable_startWorker({
    config: options.config ?? join(ROOT, 'wrangler.toml'),
    bindings,
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      watch: false,
      persist: options.persistTo,
      logLevel: 'warn',
    },
  } as Parameters<typeof unstable_startWorker>[0]);
  await worker.ready;
  const url = await worker.url;
  // A bundling error does not reject `ready`: the Worker just never answers. Fail fast instead.
  try {
    const res = await fetch(new URL('/health', url), {
      signal: AbortSignal.timeout(FIRST_ANSWER_TIMEOUT_MS),
    });
    await res.arrayBuffer();
  } catch (err) {
    await worker.dispose();
    throw new Error(`The local Worker did not answer GET /health (see the build output above)`, {
      cause: err,
    });
  }
  return { url, dispose: () => worker.dispose() };
}
