import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// A Node built-in imported at the top of the bundle is evaluated at every start of the Worker:
// node:crypto alone cost about 10 ms of startup CPU. Each is loaded where it is needed instead.
const STATIC_NODE_IMPORT = /\bimport\s*(?:[^;()"']*?\bfrom\s*)?["'](node:[^"']+)["']/g;

describe('the Worker bundle', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'ublog-bundle-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('imports no Node built-in at start-up; scrypt loads node:crypto on demand', () => {
    const built = spawnSync(
      process.execPath,
      ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', outdir],
      { encoding: 'utf8', env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' } },
    );
    expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
    const code = readFileSync(join(outdir, 'index.js'), 'utf8');
    expect([...code.matchAll(STATIC_NODE_IMPORT)].map((m) => m[1])).toEqual([]);
    expect(code).toContain('import("node:crypto")');
  }, 120_000);

  it('the pattern finds a static import and leaves a dynamic one', () => {
    const sample = 'import{a as b}from"node:crypto";const c=()=>import("node:crypto");';
    expect([...sample.matchAll(STATIC_NODE_IMPORT)].map((m) => m[1])).toEqual(['node:crypto']);
  });
});
