import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalWorker, ROOT, startLocalWorker } from '../../bench/lib/local-worker';
import { launchChromium, openWatchedPage } from './support/chromium';

// /docs in a real browser (support/chromium: a system Chromium or the packaged one) driven by
// playwright-core, against the Worker as `wrangler dev` serves it (static assets included).
const SCREENSHOT = join(ROOT, 'test-artifacts', 'docs.png');
const STARTUP_TIMEOUT_MS = 120_000;
const RENDER_TIMEOUT_MS = 60_000;

interface Operation {
  tag: string;
  operationId: string;
}

let worker: LocalWorker;
let browser: Browser;

beforeAll(async () => {
  // Swagger UI's files are copied into public/ by `npm ci` (prepare); make sure they are there.
  const copied = spawnSync(process.execPath, [join(ROOT, 'scripts', 'docs-assets.mjs')]);
  if (copied.status !== 0) throw new Error(`docs-assets failed: ${copied.stderr}`);
  worker = await startLocalWorker({ persistTo: false });
  browser = await launchChromium();
}, STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
});

describe('GET /docs in headless Chromium', () => {
  it(
    'lists every operation of every tag, loads nothing from another host, and renders',
    async () => {
      const origin = worker.url.origin;
      const doc = (await (await fetch(new URL('/openapi.json', origin))).json()) as {
        paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
      };
      const operations: Operation[] = Object.values(doc.paths).flatMap((item) =>
        Object.values(item).flatMap((op) =>
          op.tags.map((tag) => ({ tag, operationId: op.operationId })),
        ),
      );
      expect(operations.length).toBeGreaterThan(0);

      const { page, requested, errors, foreignRequests } = await openWatchedPage(browser);

      const response = await page.goto(new URL('/docs', origin).href, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      await page.locator('.opblock').first().waitFor({ timeout: RENDER_TIMEOUT_MS });

      const missing: string[] = [];
      for (const { tag, operationId } of operations) {
        // Swagger UI's deep-link id for an operation under a tag.
        const id = `operations-${tag}-${operationId}`;
        if ((await page.locator(`[id="${id}"]`).count()) === 0) missing.push(id);
      }
      expect(missing).toEqual([]);
      const shownTags = await page.locator('.opblock-tag-section h3').allInnerTexts();
      for (const tag of new Set(operations.map((o) => o.tag))) {
        expect(shownTags.join('\n')).toContain(tag);
      }

      mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      expect(foreignRequests(origin)).toEqual([]);
      expect(requested).toContain(new URL('/openapi.json', origin).href);
      expect(errors).toEqual([]);
      await page.close();
    },
    STARTUP_TIMEOUT_MS,
  );
});
