import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import { newId } from '../../src/lib/ids';
import { hashIp, requestLogMessage, UNMATCHED_ROUTE } from '../../src/lib/request-log';
import { createUser, type DirectUser } from '../support/direct-users';
import { get } from '../support/http';
import { deliver, eventually, JOBS_QUEUE } from '../support/queue';

interface LogRow {
  request_id: string;
  method: string;
  route: string;
  path: string;
  status: number;
  duration_ms: number;
  user_id: string | null;
  username: string | null;
  ip_hash: string | null;
  user_agent: string | null;
  country: string | null;
}

const logsFor = async (requestIds: string[]) => {
  const { results } = await env.DB.prepare(
    `select * from request_logs where request_id in (${requestIds.map(() => '?').join(',')})`,
  )
    .bind(...requestIds)
    .all<LogRow>();
  return results;
};

const waitForLogs = (requestIds: string[]) =>
  eventually(async () => {
    const found = await logsFor(requestIds);
    return found.length === requestIds.length ? found : undefined;
  });

describe('request logs, end to end through the local queue', () => {
  let user: DirectUser;
  const burst = Array.from({ length: 12 }, (_, i) => ({
    requestId: `burst-${i}-${newId()}`,
    ip: `198.51.100.${i + 1}`,
  }));
  const refused = `refused-${newId()}`;
  const fromGermany = `cf-${newId()}`;
  const health = `health-${newId()}`;
  let rows: LogRow[];

  // One burst for every case below, so the queue's batch delay is waited for once.
  beforeAll(async () => {
    user = await createUser();
    await Promise.all([
      ...burst.map(({ requestId, ip }, i) =>
        get(i % 2 === 0 ? '/api/v1/posts' : '/api/v1/no-such-route', {
          ...(i % 3 === 0 ? { token: user.token } : {}),
          headers: {
            'X-Request-Id': requestId,
            'CF-Connecting-IP': ip,
            'User-Agent': `burst/${i}`,
          },
        }),
      ),
      get('/api/v1/posts/0193-not-a-post', {
        token: 'not-a-jwt',
        headers: { 'X-Request-Id': refused },
      }),
      get('/api/v1/posts', { headers: { 'X-Request-Id': fromGermany }, cf: { country: 'DE' } }),
      get('/health', { headers: { 'X-Request-Id': health } }),
    ]);
    rows = await waitForLogs([...burst.map((b) => b.requestId), refused, fromGermany]);
  });

  const row = (requestId: string) => rows.find((r) => r.request_id === requestId);

  it('records every request of a burst with its facts', async () => {
    for (const [i, { requestId, ip }] of burst.entries()) {
      const r = row(requestId);
      expect(r, requestId).toBeDefined();
      expect(r?.method).toBe('GET');
      expect(r?.user_agent).toBe(`burst/${i}`);
      expect(r?.ip_hash).toBe(await hashIp(env.IP_HASH_SALT ?? '', ip));
      expect(r?.duration_ms).toBeGreaterThanOrEqual(0);
      if (i % 2 === 0) {
        expect(r).toMatchObject({ route: '/api/v1/posts', path: '/api/v1/posts', status: 200 });
      } else {
        expect(r).toMatchObject({
          route: UNMATCHED_ROUTE,
          path: '/api/v1/no-such-route',
          status: 404,
        });
      }
      // Only a route that uses the bearer judges it: an unmatched path has no signed-in caller.
      if (i % 3 === 0 && i % 2 === 0) {
        expect(r).toMatchObject({ user_id: user.id, username: user.username });
      } else {
        expect(r).toMatchObject({ user_id: null, username: null });
      }
    }
  });

  it('stores a salted hash of the client address, never the address', () => {
    const r = row(burst[0]?.requestId ?? '');
    expect(r?.ip_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(r)).not.toContain('198.51.100.1');
  });

  it('records the route pattern, not the concrete path, and refused requests too', () => {
    expect(row(refused)).toMatchObject({
      route: '/api/v1/posts/:id',
      path: '/api/v1/posts/0193-not-a-post',
      status: 401,
      user_id: null,
    });
  });

  it('takes the country from request.cf when present', () => {
    expect(row(fromGermany)?.country).toBe('DE');
  });

  it('does not log paths outside the API', async () => {
    expect(await logsFor([health])).toEqual([]);
  });
});

describe('request logs are sent in batches', () => {
  it("sends one message for a burst of requests, each request's own entry in it", async () => {
    // The real local queue, observed: every request of the burst is answered before the
    // first batch is due, so all of them go out in the one send.
    const jobs = env.JOBS;
    const send = vi.spyOn(jobs, 'send');
    const app = createApp();
    const ids = Array.from({ length: 5 }, (_, i) => `batched-${i}-${newId()}`);
    const contexts = ids.map(() => createExecutionContext());
    try {
      const answers = await Promise.all(
        ids.map((id, i) =>
          app.request('/api/v1/posts', { headers: { 'X-Request-Id': id } }, env, contexts[i]),
        ),
      );
      expect(answers.map((res) => res.status)).toEqual(ids.map(() => 200));
      await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));
      const sent = send.mock.calls
        .map(([message]) => message as { type: string; entries: { request_id: string }[] })
        .filter((message) => message.type === 'request_log.batch');
      expect(sent).toHaveLength(1);
      expect(sent[0]?.entries.map((entry) => entry.request_id).sort()).toEqual([...ids].sort());
    } finally {
      send.mockRestore();
    }
    expect((await waitForLogs(ids)).map((r) => r.request_id).sort()).toEqual([...ids].sort());
  });
});

describe('request_log.batch consumer', () => {
  it('inserts a whole batch once, even when redelivered', async () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({
      id: newId(),
      created_at: Date.now(),
      method: 'POST',
      route: '/api/v1/posts',
      path: '/api/v1/posts',
      status: 201,
      duration_ms: i,
      user_id: null,
      username: null,
      request_id: `batch-${i}-${newId()}`,
      ip_hash: null,
      user_agent: null,
      country: 'NL',
    }));
    const message = requestLogMessage(entries);
    const first = await deliver(JOBS_QUEUE, [{ body: message }]);
    expect(first.explicitAcks).toHaveLength(1);
    await deliver(JOBS_QUEUE, [{ body: message, attempts: 2 }]);
    const found = await logsFor(entries.map((e) => e.request_id));
    expect(found).toHaveLength(20);
    expect(found.every((r) => r.country === 'NL')).toBe(true);
  });
});
