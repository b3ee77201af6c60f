import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/jobs/messages';
import { newId } from '../../src/lib/ids';
import { DEAD_LETTER_QUEUE, deliver, JOBS_QUEUE } from '../support/queue';

/**
 * The test D1 binding, counting round trips: each `batch` is one, and so is each statement
 * run on its own. No `withSession`, so the Worker uses the binding itself.
 */
function countingDatabase() {
  const trips: { kind: 'batch' | 'statement'; statements: number }[] = [];
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        if (prop === 'bind') return (...args: unknown[]) => wrap(value.apply(target, args));
        if (['run', 'all', 'first', 'raw'].includes(prop as string)) {
          return (...args: unknown[]) => {
            trips.push({ kind: 'statement', statements: 1 });
            return value.apply(target, args);
          };
        }
        return value.bind(target);
      },
    });
  const db = {
    prepare: (query: string) => wrap(env.DB.prepare(query)),
    batch: (statements: D1PreparedStatement[]) => {
      trips.push({ kind: 'batch', statements: statements.length });
      return env.DB.batch(statements);
    },
    exec: (query: string) => env.DB.exec(query),
    dump: () => env.DB.dump(),
  } as unknown as D1Database;
  return { db, trips };
}

const entry = (i: number): RequestLogEntry => ({
  id: newId(Date.UTC(2026, 10, 1) + i),
  created_at: Date.UTC(2026, 10, 1) + i,
  method: 'GET',
  route: '/api/v1/posts',
  path: `/api/v1/posts?n=${i}`,
  status: 200,
  duration_ms: 1.5,
  user_id: null,
  username: null,
  request_id: newId(),
  ip_hash: null,
  user_agent: 'vitest',
  country: null,
});

const logCount = async () =>
  (await env.DB.prepare('select count(*) as n from request_logs').first<{ n: number }>())?.n;

describe('the jobs consumer, per batch', () => {
  it('writes the request logs of a whole consumer batch in one round trip, a statement per 100 rows', async () => {
    const entries = Array.from({ length: 150 }, (_, i) => entry(i));
    const messages = [entries.slice(0, 60), entries.slice(60, 120), entries.slice(120)].map(
      (part, i) => ({ id: `logs-${i}`, body: { type: 'request_log.batch', entries: part } }),
    );
    const { db, trips } = countingDatabase();
    const result = await deliver(JOBS_QUEUE, messages, { ...env, DB: db });
    expect(result.explicitAcks.sort()).toEqual(['logs-0', 'logs-1', 'logs-2']);
    expect(trips).toEqual([{ kind: 'batch', statements: 2 }]);
    expect(await logCount()).toBe(150);

    // Redelivered: nothing is written twice.
    await deliver(JOBS_QUEUE, messages);
    expect(await logCount()).toBe(150);
    const row = await env.DB.prepare(
      'select created_at, path, status, duration_ms, user_id, user_agent from request_logs where id = ?',
    )
      .bind(entries[70]?.id)
      .first();
    expect(row).toEqual({
      created_at: entries[70]?.created_at,
      path: '/api/v1/posts?n=70',
      status: 200,
      duration_ms: 1.5,
      user_id: null,
      user_agent: 'vitest',
    });
  });

  it('the dead-letter consumer records a message once, however often it is delivered', async () => {
    const dead = { id: 'dlq-once', body: { type: 'image.process', image_key: 'k' }, attempts: 6 };
    await deliver(DEAD_LETTER_QUEUE, [dead]);
    const again = await deliver(DEAD_LETTER_QUEUE, [dead, dead]);
    expect(again.ackAll).toBe(true);
    const { results } = await env.DB.prepare(
      'select queue, message_id from failed_jobs where message_id = ?',
    )
      .bind('dlq-once')
      .all();
    expect(results).toEqual([{ queue: DEAD_LETTER_QUEUE, message_id: 'dlq-once' }]);
  });
});
