import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SeedData } from '../../scripts/seed-data';
import { readConfig } from '../../src/env';
import { signAccessToken } from '../../src/lib/tokens';
import { type DbCost, measure } from '../support/db-cost';
import { seedBenchData } from '../support/seed';

/**
 * What the read and write paths cost in D1 terms (statements, rows read and written, from
 * each result's meta), measured on the BENCH.md data set at scale 1 and again at scale 4 in
 * this file's database. Reads must stay within three statements and read the same rows
 * (within 10%) whatever the table sizes; writes must be one batch.
 */
const SCALES = [1, 4] as const;
const MAX_READ_STATEMENTS = 3;
const ROWS_READ_TOLERANCE = 0.1;
const SEED_TIMEOUT_MS = 180_000;

type Figures = Record<string, DbCost>;
const figures: Record<number, Figures> = {};

const READS = ['list_anon', 'list_auth', 'list_page5', 'post_get', 'profile', 'statuses_by_user'];
const WRITES = ['post_create', 'like', 'unlike'];

async function wipe() {
  await env.DB.batch(
    ['likes', 'posts', 'images', 'statuses', 'idempotency_keys', 'profiles', 'users'].map((t) =>
      env.DB.prepare(`delete from ${t}`),
    ),
  );
}

async function measureScale(data: SeedData): Promise<Figures> {
  const config = readConfig(env);
  const reader = data.users[2]!;
  const { token } = await signAccessToken(config, { id: reader.id, tokenGeneration: 0 });
  const popular = data.posts.reduce((a, b) => (b.likeCount > a.likeCount ? b : a));
  const mostStatuses = 'alice';
  const out: Figures = {};
  const read = async (name: string, path: string, auth?: string) => {
    const m = await measure(path, { token: auth });
    expect(m.status, `${name} ${path}`).toBe(200);
    out[name] = m.cost;
    return m;
  };
  await read('list_anon', '/api/v1/posts?limit=20');
  await read('list_auth', '/api/v1/posts?limit=20', token);
  let cursor = '';
  for (let page = 1; page < 5; page++) {
    const m = await measure(`/api/v1/posts?limit=20${cursor}`);
    cursor = `&cursor=${encodeURIComponent(m.body.next_cursor)}`;
  }
  await read('list_page5', `/api/v1/posts?limit=20${cursor}`);
  await read('post_get', `/api/v1/posts/${popular.id}`);
  await read('profile', '/api/v1/profiles/alice');
  const statuses = await read('statuses_by_user', `/api/v1/statuses?author=${mostStatuses}`);
  expect(statuses.body.items).toHaveLength(20);

  const created = await measure('/api/v1/posts', {
    method: 'POST',
    token,
    json: { body: 'measured' },
  });
  expect(created.status).toBe(201);
  out.post_create = created.cost;
  const liked = await measure(`/api/v1/posts/${popular.id}/like`, { method: 'DELETE', token });
  expect(liked.status).toBe(200);
  const like = await measure(`/api/v1/posts/${popular.id}/like`, { method: 'PUT', token });
  expect(like.body.liked_by_me).toBe(true);
  out.like = like.cost;
  const unlike = await measure(`/api/v1/posts/${popular.id}/like`, { method: 'DELETE', token });
  expect(unlike.body.liked_by_me).toBe(false);
  out.unlike = unlike.cost;
  return out;
}

beforeAll(async () => {
  for (const scale of SCALES) {
    await wipe();
    const data = await seedBenchData(scale);
    figures[scale] = await measureScale(data);
  }
  const rows = [...READS, ...WRITES].map((name) => {
    const cells = SCALES.map((s) => {
      const c = figures[s]?.[name];
      return `${c?.statements} stmt (${c?.batches} batch) read ${c?.rowsRead} written ${c?.rowsWritten}`;
    });
    return `${name.padEnd(18)} | ${cells.map((c) => c.padEnd(44)).join(' | ')}`;
  });
  console.log(['D1 cost per request (scale 1 | scale 4):', ...rows].join('\n'));
}, SEED_TIMEOUT_MS);

describe('cost per request on the BENCH.md data set', () => {
  it.each(READS)('%s: at most 3 statements, rows read flat from 1x to 4x', (name) => {
    const one = figures[1]?.[name];
    const four = figures[4]?.[name];
    expect(one && four).toBeTruthy();
    expect(one!.statements).toBeLessThanOrEqual(MAX_READ_STATEMENTS);
    expect(four!.statements).toBeLessThanOrEqual(MAX_READ_STATEMENTS);
    expect(four!.batches).toBe(0);
    expect(Math.abs(four!.rowsRead - one!.rowsRead)).toBeLessThanOrEqual(
      ROWS_READ_TOLERANCE * one!.rowsRead,
    );
    expect(four!.rowsWritten).toBe(0);
  });

  it.each(WRITES)("%s: one batch and nothing else but the token's user lookup", (name) => {
    for (const scale of SCALES) {
      const cost = figures[scale]?.[name];
      expect(cost?.batches, `scale ${scale}`).toBe(1);
      // Two round trips: the authenticate middleware's one read, then the batch.
      expect(cost?.calls, `scale ${scale}`).toBe(2);
      expect(cost?.log.filter((s) => !s.startsWith('batch:'))).toHaveLength(1);
      expect(cost?.rowsWritten, `scale ${scale}`).toBeGreaterThan(0);
    }
  });
});
