import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalWorker, ROOT, startLocalWorker } from '../../bench/lib/local-worker';
import { migrateLocal } from '../../scripts/lib/local';
import { launchChromium, openWatchedPage } from './support/chromium';

// GraphiQL on /graphql in a real browser (support/chromium) against the Worker as `wrangler dev`
// serves it (static assets included), over a fresh migrated database holding one post.
const SCREENSHOT = join(ROOT, 'test-artifacts', 'graphiql.png');
const STARTUP_TIMEOUT_MS = 120_000;
const RENDER_TIMEOUT_MS = 60_000;
const QUERY = '{ posts(first: 1) { nodes { id } } }';

let worker: LocalWorker;
let browser: Browser;
let persistTo: string;
let postId: string;

async function api<T>(path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(new URL(path, worker.url), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

beforeAll(async () => {
  // GraphiQL's files are copied into public/ by `npm ci` (prepare); make sure they are there.
  const copied = spawnSync(process.execPath, [join(ROOT, 'scripts', 'docs-assets.mjs')]);
  if (copied.status !== 0) throw new Error(`docs-assets failed: ${copied.stderr}`);
  persistTo = mkdtempSync(join(tmpdir(), 'ublog-graphiql-'));
  migrateLocal(persistTo);
  worker = await startLocalWorker({ persistTo });
  const account = {
    email: 'graphiql@example.com',
    username: 'graphiql',
    password: 'a long enough password for the browser test',
  };
  await api('/api/v1/auth/register', account);
  const { access_token } = await api<{ access_token: string }>('/api/v1/auth/login', {
    email: account.email,
    password: account.password,
  });
  ({ id: postId } = await api<{ id: string }>(
    '/api/v1/posts',
    { body: 'Seen through GraphiQL.' },
    access_token,
  ));
  browser = await launchChromium();
}, STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
});

describe('GET /graphql in headless Chromium', () => {
  it(
    'loads GraphiQL, runs a query that shows a post id, and loads nothing from another host',
    async () => {
      const origin = worker.url.origin;
      const { page, requested, errors, foreignRequests } = await openWatchedPage(browser);

      const response = await page.goto(new URL('/graphql', origin).href, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
      await queryEditor.waitFor({ timeout: RENDER_TIMEOUT_MS });
      await queryEditor.evaluate((element, query) => {
        (element as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(
          query,
        );
      }, QUERY);
      const answered = page.waitForResponse(
        (res) =>
          res.request().method() === 'POST' &&
          new URL(res.url()).pathname === '/graphql' &&
          res.request().postData()?.includes('posts(first: 1)') === true,
      );
      await page.locator('.graphiql-execute-button').click();
      expect((await answered).status()).toBe(200);

      const resultEditor = page.locator('.result-window .CodeMirror');
      const shownResult = () =>
        resultEditor.evaluate((element) =>
          (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
        );
      await expect.poll(shownResult, { timeout: RENDER_TIMEOUT_MS }).not.toBe('');
      expect(JSON.parse(await shownResult())).toEqual({
        data: { posts: { nodes: [{ id: postId }] } },
      });
      // …and the id is on screen, not only in the editor's model.
      expect(await page.locator('.result-window').getByText(postId).isVisible()).toBe(true);

      mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });

      expect(requested.length).toBeGreaterThan(0);
      expect(foreignRequests(origin)).toEqual([]);
      expect(requested).toContain(new URL('/graphql/assets/graphiql.min.js', origin).href);
      expect(errors).toEqual([]);
      await page.close();
    },
    STARTUP_TIMEOUT_MS,
  );
});
