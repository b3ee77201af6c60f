import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from './support/chromium';

// A machine with no browser installed: nothing on PATH and no CHROMIUM_PATH.
const NO_BROWSER = { PATH: '' };
// The first run on a machine unpacks about 200 MB, maybe while other test files do the same.
const UNPACK_TIMEOUT_MS = 120_000;

const fakeBin = mkdtempSync(join(tmpdir(), 'ublog-fake-chromium-'));
afterAll(() => rmSync(fakeBin, { recursive: true, force: true }));

describe('the browser tests’ Chromium', () => {
  it('is the one CHROMIUM_PATH names, when set', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/chromium/chrome', PATH: '/usr/bin' })).toEqual({
      executablePath: '/opt/chromium/chrome',
      source: 'CHROMIUM_PATH',
    });
  });

  it('is a chromium found on PATH, when there is one', () => {
    const fake = join(fakeBin, 'chromium');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(findChromium({ PATH: `/nonexistent:${fakeBin}` })).toEqual({
      executablePath: fake,
      source: 'system',
    });
  });

  it(
    'is the Chromium packaged in @sparticuz/chromium on a machine without one, and it renders',
    async () => {
      const choice = findChromium(NO_BROWSER);
      expect(choice.source).toBe('packaged');
      const browser = await launchChromium(NO_BROWSER);
      try {
        expect(browser.version()).toMatch(/^\d+\./);
        const page = await browser.newPage();
        await page.setContent('<p id="sum"></p><script>sum.textContent = String(40 + 2)</script>');
        const sum = page.locator('#sum');
        expect(await sum.textContent()).toBe('42');
        expect((await sum.boundingBox())?.width).toBeGreaterThan(0);
      } finally {
        await browser.close();
      }
    },
    UNPACK_TIMEOUT_MS,
  );
});
