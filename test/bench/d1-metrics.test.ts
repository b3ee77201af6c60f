import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { parseD1ServerTiming } from '../../bench/lib/server-timing';
import { createApp } from '../../src/app';
import { createDatabase } from '../../src/db/client';
import { d1ServerTiming, meteredD1, newD1Usage } from '../../src/db/metrics';
import { users } from '../../src/db/schema';

// The benchmark's statement and row figures come from this wrapper; if a workerd upgrade
// changes what it relies on, these fail instead of the benchmark reporting zeros.
const user = (n: number) => ({
  id: `metrics-${n}-${crypto.randomUUID()}`,
  email: `metrics${n}-${crypto.randomUUID()}@example.com`,
  username: `metrics_${n}_${crypto.randomUUID().slice(0, 8)}`,
  passwordHash: 'not-a-real-hash',
  updatedAt: new Date(),
});

describe('metered D1 (BENCH_METRICS)', () => {
  it('counts statements, batches and the rows D1 reports reading and writing', async () => {
    const usage = newD1Usage();
    const db = createDatabase(meteredD1(env.DB, usage));
    const rows = [user(1), user(2), user(3)];
    await db.batch([db.insert(users).values(rows[0]!), db.insert(users).values(rows.slice(1))]);
    expect(usage).toMatchObject({ queries: 1, batches: 1, statements: 2, unbatchedWrites: 0 });
    expect(usage.rowsWritten).toBeGreaterThanOrEqual(3);

    const found = await db.select().from(users).where(eq(users.id, rows[1]!.id));
    expect(found.map((u) => u.username)).toEqual([rows[1]!.username]);
    expect(usage).toMatchObject({ queries: 2, statements: 3 });
    expect(usage.rowsRead).toBeGreaterThan(0);

    const readBefore = usage.rowsRead;
    const all = await db.select({ id: users.id }).from(users);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(usage.rowsRead - readBefore).toBeGreaterThanOrEqual(3);

    await db.insert(users).values(user(4));
    expect(usage).toMatchObject({ queries: 4, statements: 5, unbatchedWrites: 1 });
  });

  it('reports the usage as Server-Timing only when the flag is on', async () => {
    const plain = await exports.default.fetch(new Request('http://localhost/health'));
    expect(plain.status).toBe(200);
    expect(plain.headers.get('Server-Timing')).toBeNull();

    const metered = await createApp().request('/health', {}, { ...env, BENCH_METRICS: 'true' });
    expect(metered.status).toBe(200);
    expect(metered.headers.get('Server-Timing')).toMatch(
      /^d1;desc="queries=1 statements=1 batches=0 rows_read=\d+ rows_written=0 unbatched_writes=0"$/,
    );
  });

  it('reads back exactly what it writes into Server-Timing', () => {
    const usage = {
      queries: 2,
      statements: 4,
      batches: 1,
      rowsRead: 65,
      rowsWritten: 6,
      unbatchedWrites: 1,
    };
    expect(parseD1ServerTiming(d1ServerTiming(usage))).toEqual(usage);
    expect(() => parseD1ServerTiming(null)).toThrow(/BENCH_METRICS/);
  });
});
