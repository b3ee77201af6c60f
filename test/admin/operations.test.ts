import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../src/cron/rollup-request-logs';
import { newId } from '../../src/lib/ids';
import { DAY_MS } from '../../src/lib/time';
import { thumbnailKeyFor } from '../../src/lib/uploads';
import { runCron } from '../cron/support';
import { createUser, type DirectUser } from '../support/direct-users';
import { get, post } from '../support/http';
import { makePng, storeTestImage } from '../support/images';
import { DEAD_LETTER_QUEUE, deliver, eventually, JOBS_QUEUE } from '../support/queue';

let admin: DirectUser;
beforeAll(async () => {
  admin = await createUser({ admin: true });
});

// Ten days ago: no live request (this file's own calls are logged too) can land there.
const base = Date.now() - 10 * DAY_MS;
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();

async function seedLog(row: {
  minutes: number;
  method: string;
  path: string;
  status: number;
  username?: string;
}) {
  await env.DB.prepare(
    `insert into request_logs (id, created_at, method, route, path, status, duration_ms, username, user_id, request_id)
     values (?, ?, ?, ?, ?, ?, 3.5, ?, ?, ?)`,
  )
    .bind(
      newId(base + row.minutes * 60_000),
      base + row.minutes * 60_000,
      row.method,
      row.path,
      row.path,
      row.status,
      row.username ?? null,
      row.username ? newId() : null,
      newId(),
    )
    .run();
}

describe('GET /admin/request-logs', () => {
  const tag = `/api/v1/zz${Date.now().toString(36)}`;
  beforeAll(async () => {
    await seedLog({ minutes: 1, method: 'GET', path: `${tag}/a`, status: 200, username: 'Ada_L' });
    await seedLog({ minutes: 2, method: 'POST', path: `${tag}/a`, status: 201, username: 'ada_l' });
    await seedLog({ minutes: 3, method: 'POST', path: `${tag}/b`, status: 422 });
    await seedLog({ minutes: 4, method: 'DELETE', path: `${tag}/b`, status: 404, username: 'bob' });
    await seedLog({ minutes: 5, method: 'GET', path: `${tag}_other`, status: 500 });
  });

  const list = async (query: string, path = tag) => {
    const res = await get(`/api/v1/admin/request-logs?path=${encodeURIComponent(path)}&${query}`, {
      token: admin.token,
    });
    expect(res.status, query).toBe(200);
    return res.body.items.map((r: any) => `${r.method} ${r.path.slice(tag.length)} ${r.status}`);
  };

  it('filters by path prefix, newest first', async () => {
    expect(await list('')).toEqual([
      'GET _other 500',
      'DELETE /b 404',
      'POST /b 422',
      'POST /a 201',
      'GET /a 200',
    ]);
    expect(await list('', `${tag}/`)).toHaveLength(4);
  });

  it('filters by method (any case), exact status and status class', async () => {
    expect(await list('method=post')).toEqual(['POST /b 422', 'POST /a 201']);
    expect(await list('status=404')).toEqual(['DELETE /b 404']);
    expect(await list('status=4xx')).toEqual(['DELETE /b 404', 'POST /b 422']);
    expect(await list('status=5XX&method=GET')).toEqual(['GET _other 500']);
  });

  it('filters by username (case-insensitive) and time range', async () => {
    expect(await list('username=ADA_L')).toEqual(['POST /a 201', 'GET /a 200']);
    expect(await list(`since=${at(2)}&until=${at(4)}`)).toEqual(['POST /b 422', 'POST /a 201']);
  });

  it('pages with a keyset cursor and a Link header', async () => {
    const seen: string[] = [];
    let url = `/api/v1/admin/request-logs?path=${encodeURIComponent(tag)}&limit=2`;
    for (let i = 0; i < 5 && url; i++) {
      const res = await get(url, { token: admin.token });
      seen.push(...res.body.items.map((r: any) => r.id));
      const link = res.headers.get('Link');
      expect(Boolean(link)).toBe(res.body.next_cursor !== null);
      const next = link ? new URL(/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? '') : null;
      url = next ? `${next.pathname}${next.search}` : '';
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('refuses bad filters with 422', async () => {
    for (const query of [
      'status=99',
      'status=6xx',
      'method=FETCH',
      'since=yesterday',
      'path=posts',
    ]) {
      const res = await get(`/api/v1/admin/request-logs?${query}`, { token: admin.token });
      expect(res.status, query).toBe(422);
    }
  });
});

describe('GET /admin/stats', () => {
  it('returns the rolled-up days, oldest first, with zeros for quiet days', async () => {
    const today = Date.now();
    const twoDaysAgo = today - 2 * DAY_MS;
    await env.DB.prepare(
      `insert into daily_stats (day, requests, status_2xx, status_4xx, p50_duration_ms, p95_duration_ms, signups, posts, likes, updated_at)
       values (?, 7, 6, 1, 4.5, 20, 2, 3, 4, ?)`,
    )
      .bind(dayOf(twoDaysAgo), today)
      .run();
    const res = await get('/api/v1/admin/stats?days=3', { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(dayOf(twoDaysAgo));
    expect(res.body.to).toBe(dayOf(today));
    expect(res.body.days.map((d: any) => d.day)).toEqual([
      dayOf(twoDaysAgo),
      dayOf(today - DAY_MS),
      dayOf(today),
    ]);
    expect(res.body.days[0]).toEqual({
      day: dayOf(twoDaysAgo),
      requests: 7,
      status_2xx: 6,
      status_3xx: 0,
      status_4xx: 1,
      status_5xx: 0,
      p50_duration_ms: 4.5,
      p95_duration_ms: 20,
      signups: 2,
      posts: 3,
      likes: 4,
    });
    expect(res.body.days[1]).toMatchObject({ requests: 0, p50_duration_ms: null, signups: 0 });
  });

  it('shows what the hourly roll-up computed', async () => {
    await runCron('5 * * * *');
    const res = await get('/api/v1/admin/stats?days=11', { token: admin.token });
    const seededDay = res.body.days.find((d: any) => d.day === dayOf(base));
    // The five request logs seeded ten days ago for the request-log tests.
    expect(seededDay).toMatchObject({ requests: 5, status_2xx: 2, status_4xx: 2, status_5xx: 1 });
  });

  it('defaults to 7 days and refuses 0 or more than 90', async () => {
    expect((await get('/api/v1/admin/stats', { token: admin.token })).body.days).toHaveLength(7);
    expect((await get('/api/v1/admin/stats?days=90', { token: admin.token })).status).toBe(200);
    for (const days of ['0', '91', 'many']) {
      expect((await get(`/api/v1/admin/stats?days=${days}`, { token: admin.token })).status).toBe(
        422,
      );
    }
  });
});

describe('failed jobs', () => {
  const email = {
    type: 'email.send',
    id: `retry-mail-${newId()}`,
    to: 'grace@example.com',
    template: 'password_reset',
    data: { username: 'grace', token: 'super-secret-reset-token' },
  };

  it('lists dead-lettered and malformed messages, newest first, with secrets redacted', async () => {
    await deliver(DEAD_LETTER_QUEUE, [{ id: 'dead-mail', body: email, attempts: 6 }]);
    await deliver(JOBS_QUEUE, [{ id: 'malformed', body: { type: 'email.send', to: 'nope' } }]);
    const res = await get('/api/v1/admin/jobs/failed?limit=1', { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ message_id: 'malformed', type: 'email.send' });
    const next = await get(
      `/api/v1/admin/jobs/failed?limit=1&cursor=${encodeURIComponent(res.body.next_cursor)}`,
      { token: admin.token },
    );
    const dead = next.body.items[0];
    expect(dead).toMatchObject({
      message_id: 'dead-mail',
      queue: DEAD_LETTER_QUEUE,
      type: 'email.send',
      attempts: 6,
      retried_at: null,
      retryable: false,
    });
    expect(dead.body.data).toEqual({ username: 'grace', token: '[redacted]' });
    expect(JSON.stringify(next.body)).not.toContain('super-secret-reset-token');
  });

  it('retry puts the stored message back on the queue and records when', async () => {
    const image = await storeTestImage(await makePng(40, 30));
    const job = { type: 'image.process', image_key: image.key };
    await deliver(DEAD_LETTER_QUEUE, [{ id: 'dead-image', body: job, attempts: 6 }]);
    const row = await env.DB.prepare(
      "select id from failed_jobs where message_id = 'dead-image'",
    ).first<{ id: string }>();
    const res = await post(`/api/v1/admin/jobs/failed/${row?.id}/retry`, undefined, {
      token: admin.token,
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: row?.id, type: 'image.process' });
    const stored = await env.DB.prepare('select retried_at from failed_jobs where id = ?')
      .bind(row?.id)
      .first<{ retried_at: number | null }>();
    expect(stored?.retried_at).not.toBeNull();
    // The local queue delivers the message to the consumer, which now makes the thumbnail.
    const thumbnail = await eventually(async () => {
      const found = await env.DB.prepare('select thumbnail_key from images where key = ?')
        .bind(image.key)
        .first<{ thumbnail_key: string | null }>();
      return found?.thumbnail_key ?? undefined;
    });
    expect(thumbnail).toBe(thumbnailKeyFor(image.key));
  });

  it('refuses to retry a mail whose token was redacted when it was recorded', async () => {
    const row = await env.DB.prepare(
      "select id from failed_jobs where message_id = 'dead-mail'",
    ).first<{ id: string }>();
    const res = await post(`/api/v1/admin/jobs/failed/${row?.id}/retry`, undefined, {
      token: admin.token,
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('not_retryable');
  });

  it('refuses to retry a message that matches no job type, and 404s an unknown id', async () => {
    const row = await env.DB.prepare(
      "select id from failed_jobs where message_id = 'malformed'",
    ).first<{
      id: string;
    }>();
    const bad = await post(`/api/v1/admin/jobs/failed/${row?.id}/retry`, undefined, {
      token: admin.token,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('not_retryable');
    const unknown = await post(`/api/v1/admin/jobs/failed/${newId()}/retry`, undefined, {
      token: admin.token,
    });
    expect(unknown.status).toBe(404);
  });
});
