import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { runCron } from '../cron/support';
import { createUser } from '../support/direct-users';
import { get } from '../support/http';

async function insertRun(job: string, startedAt: number, outcome = 'ok', rowsTouched = 0) {
  const id = newId(startedAt);
  await env.DB.prepare(
    `insert into job_runs (id, job, started_at, finished_at, rows_touched, outcome, detail)
     values (?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      job,
      startedAt,
      outcome === 'running' ? null : startedAt + 250,
      rowsTouched,
      outcome,
      'd',
    )
    .run();
  return id;
}

describe('GET /api/v1/admin/jobs/runs', () => {
  it('lists cron results newest first: task, start, finish, outcome, rows touched', async () => {
    const admin = await createUser({ admin: true });
    await runCron('45 3 * * *');
    const { status, body } = await get('/api/v1/admin/jobs/runs', { token: admin.token });
    expect(status).toBe(200);
    expect(body.items[0]).toMatchObject({
      task: 'reconcile_counters',
      outcome: 'ok',
      rows_touched: 0,
      started_at: expect.any(String),
      finished_at: expect.any(String),
    });
  });

  it('pages with a keyset cursor and filters by task', async () => {
    const admin = await createUser({ admin: true });
    const t0 = Date.UTC(2026, 0, 1);
    const ids = [
      await insertRun('page_task', t0, 'ok', 3),
      await insertRun('page_task', t0 + 1000, 'error'),
      await insertRun('page_task', t0 + 2000, 'running'),
      await insertRun('other_task', t0 + 3000),
    ];
    const first = await get('/api/v1/admin/jobs/runs?task=page_task&limit=2', {
      token: admin.token,
    });
    expect(first.status).toBe(200);
    expect(first.body.items.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.items[0]).toMatchObject({ outcome: 'running', finished_at: null });
    expect(first.headers.get('Link')).toContain('rel="next"');
    const second = await get(
      `/api/v1/admin/jobs/runs?task=page_task&limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`,
      { token: admin.token },
    );
    expect(second.body.items).toEqual([
      {
        id: ids[0],
        task: 'page_task',
        started_at: new Date(t0).toISOString(),
        finished_at: new Date(t0 + 250).toISOString(),
        outcome: 'ok',
        rows_touched: 3,
        detail: 'd',
      },
    ]);
    expect(second.body.next_cursor).toBeNull();
    // A cursor of one filter is refused by another.
    const foreign = await get(
      `/api/v1/admin/jobs/runs?task=other_task&cursor=${encodeURIComponent(first.body.next_cursor)}`,
      { token: admin.token },
    );
    expect(foreign.status).toBe(400);
  });

  it('is for administrators only', async () => {
    expect((await get('/api/v1/admin/jobs/runs')).status).toBe(401);
    const user = await createUser();
    expect((await get('/api/v1/admin/jobs/runs', { token: user.token })).status).toBe(403);
  });
});
