import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import workerModule from '../../src/index';
import { retryDelaySeconds } from '../../src/jobs';

// The module itself: queue batches and controllers cannot cross the exports RPC boundary.
const worker = workerModule;

async function deliver(
  queue: string,
  messages: { id: string; body: unknown; attempts?: number }[],
) {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({
      id: m.id,
      timestamp: new Date(),
      attempts: m.attempts ?? 1,
      body: m.body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

const failedJobs = () =>
  env.DB.prepare(
    'select message_id, type, error, attempts from failed_jobs order by message_id',
  ).all<{
    message_id: string;
    type: string;
    error: string;
    attempts: number;
  }>();

describe('queue dispatcher', () => {
  it('records a message of unknown type in failed_jobs and acks it', async () => {
    const result = await deliver('ublog-jobs', [
      { id: 'm-unknown', body: { type: 'video.transcode', id: 1 } },
    ]);
    expect(result.explicitAcks).toContain('m-unknown');
    expect(result.retryMessages).toEqual([]);
    const { results } = await failedJobs();
    const row = results.find((r) => r.message_id === 'm-unknown');
    expect(row?.type).toBe('video.transcode');
    expect(row?.error).toContain('Invalid message');
  });

  it('records a malformed message (wrong shape) without retrying it', async () => {
    const result = await deliver('ublog-jobs', [
      {
        id: 'm-bad',
        body: { type: 'email.send', to: 'not-an-email', template: 'welcome', data: {} },
      },
    ]);
    expect(result.explicitAcks).toContain('m-bad');
    const { results } = await failedJobs();
    expect(results.find((r) => r.message_id === 'm-bad')?.error).toMatch(/to|id/);
  });

  it('processes a valid message and acks it', async () => {
    const result = await deliver('ublog-jobs', [
      {
        id: 'm-mail',
        body: {
          type: 'email.send',
          id: 'mail-1',
          to: 'ada@example.com',
          template: 'welcome',
          data: { token: 't0k' },
        },
      },
    ]);
    expect(result.explicitAcks).toEqual(['m-mail']);
    const mail = await env.DB.prepare('select "to", subject, text from email_outbox where id = ?')
      .bind('mail-1')
      .first<{ to: string; subject: string; text: string }>();
    expect(mail?.to).toBe('ada@example.com');
    expect(mail?.text).toContain('t0k');
  });

  it('records dead-lettered messages with their attempts', async () => {
    const result = await deliver('ublog-jobs-dlq', [
      { id: 'm-dead', body: { type: 'image.process', image_key: 'k' }, attempts: 6 },
    ]);
    expect(result.ackAll).toBe(true);
    const { results } = await failedJobs();
    expect(results.find((r) => r.message_id === 'm-dead')).toMatchObject({
      type: 'image.process',
      attempts: 6,
    });
  });

  it('backs off exponentially with a cap', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(50)).toBe(900);
  });
});
