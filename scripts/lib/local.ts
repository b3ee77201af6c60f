import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getPlatformProxy } from 'wrangler';

export const ROOT = join(import.meta.dirname, '..', '..');
export const DEFAULT_PERSIST_DIR = join(ROOT, '.wrangler', 'state');

export interface LocalBindings {
  DB: D1Database;
  BUCKET: R2Bucket;
  IMAGES: ImagesBinding;
}

/** Runs wrangler (the project's own, on the project's Node) and fails loudly. */
export function wrangler(args: string[]) {
  const result = spawnSync('wrangler', args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, CI: 'true' },
  });
  if (result.status !== 0)
    throw new Error(`wrangler ${args.join(' ')} exited with ${result.status}`);
}

/** Applies migrations/ to the local D1 database that `wrangler dev --persist-to dir` uses. */
export function migrateLocal(persistTo: string) {
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo]);
}

/**
 * The same local D1 and R2 storage as `wrangler dev --persist-to <dir>`, from Node.
 * wrangler keeps its state in <dir>/v3.
 */
export async function withLocalBindings<T>(
  persistTo: string,
  fn: (env: LocalBindings) => Promise<T>,
) {
  const proxy = await getPlatformProxy<LocalBindings>({
    configPath: join(ROOT, 'wrangler.toml'),
    persist: { path: join(persistTo, 'v3') },
  });
  try {
    return await fn(proxy.env);
  } finally {
    await proxy.dispose();
  }
}

export function commonArgs(argv = process.argv.slice(2)) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scale: { type: 'string', default: '1' },
      'persist-to': { type: 'string', default: DEFAULT_PERSIST_DIR },
      quiet: { type: 'boolean', default: false },
      thumbnails: { type: 'string', default: 'true' },
    },
  });
}
