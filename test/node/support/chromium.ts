import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

/**
 * The one way the browser tests get a Chromium, so `npm ci && npm test` needs no browser on
 * the machine: CHROMIUM_PATH when set, else a `chromium` on PATH (Debian's package), else the
 * headless Chromium that ships inside the npm package @sparticuz/chromium, unpacked once into
 * the temp directory.
 */

export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | 'packaged';

/** The environment that decides which Chromium (CHROMIUM_PATH, PATH); process.env by default. */
export type ChromiumEnv = Record<string, string | undefined>;

export interface ChromiumChoice {
  executablePath: string;
  source: ChromiumSource;
}

const SYSTEM_NAMES = ['chromium', 'chromium-browser'];

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

const require = createRequire(import.meta.url);

export function findChromium(env: ChromiumEnv = process.env): ChromiumChoice {
  if (env.CHROMIUM_PATH) return { executablePath: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  const system = findExecutableOnPath(SYSTEM_NAMES, env.PATH ?? '');
  if (system) return { executablePath: system, source: 'system' };
  return { executablePath: unpackPackagedChromium(), source: 'packaged' };
}

export function launchChromium(env: ChromiumEnv = process.env): Promise<Browser> {
  const { executablePath } = findChromium(env);
  return chromium.launch({ executablePath, headless: true, args: FLAGS });
}

/** A new page that records every request it makes and every error it logs. */
export async function openWatchedPage(browser: Browser) {
  const page = await browser.newPage();
  const requested: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return {
    page,
    requested,
    errors,
    /** The requests that left for any origin but this one (data: URLs stay in the page). */
    foreignRequests: (origin: string) =>
      requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin),
  };
}

function findExecutableOnPath(names: string[], path: string): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * The package unpacks into os.tmpdir() and reuses whatever is there, so two test files
 * unpacking at once could start a half-written binary. Each caller unpacks into its own
 * directory (a child process with its own TMPDIR) and renames it into place; the first
 * rename wins and later callers reuse it.
 */
function unpackPackagedChromium(): string {
  const entry = require.resolve('@sparticuz/chromium');
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'));
  const target = join(tmpdir(), `ublog-sparticuz-chromium-${version}`);
  const binary = join(target, 'chromium');
  if (existsSync(binary)) return binary;

  const staging = mkdtempSync(join(tmpdir(), 'ublog-chromium-unpack-'));
  const script = `const { default: chromium } = await import(${JSON.stringify(pathToFileURL(entry).href)});
await chromium.executablePath();`;
  const unpacked = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TMPDIR: staging },
    encoding: 'utf8',
  });
  if (unpacked.status !== 0 || !existsSync(join(staging, 'chromium'))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `Could not unpack @sparticuz/chromium with Node ${process.version} (it needs ^22.17 or >=24, which \`npm run\` provides): ${unpacked.stderr}`,
    );
  }
  try {
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(binary)) throw err;
  }
  return binary;
}
