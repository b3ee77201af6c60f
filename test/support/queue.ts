import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import workerModule from '../../src/index';
import { createUser } from './direct-users';
import { call } from './http';

export const JOBS_QUEUE = 'ublog-jobs';
export const DEAD_LETTER_QUEUE = 'ublog-jobs-dlq';

let sequence = 0;

/**
 * Runs the Worker's queue consumer on a batch built here (the module itself: batches cannot
 * cross the exports RPC boundary) and returns what it acked and retried. getQueueResult does
 * not report retry options, so each message's retry() is observed (and still called) to
 * return the delay the consumer asked for in `retryDelays`. `bindings` replaces the test env
 * (a binding that fails, a database that counts its round trips).
 */
export async function deliver(
  queue: string,
  messages: { body: unknown; id?: string; attempts?: number }[],
  bindings: typeof env = env,
) {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({
      id: m.id ?? `msg-${sequence++}`,
      timestamp: new Date(),
      attempts: m.attempts ?? 1,
      body: m.body,
    })),
  );
  const retryDelays: Record<string, number | undefined> = {};
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    vi.spyOn(message, 'retry').mockImplementation((options) => {
      retryDelays[message.id] = options?.delaySeconds;
      retry(options);
    });
  }
  const ctx = createExecutionContext();
  await workerModule.queue(batch, bindings, ctx);
  return { ...(await getQueueResult(batch, ctx)), retryDelays };
}

/** Polls `check` until it returns a value other than undefined (for work the local queue delivers). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 20_000, intervalMs = 200 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** `POST /admin/jobs/failed/{id}/retry` as a new administrator. */
export async function retryAsAdmin(failedJobId: string | undefined) {
  const admin = await createUser({ admin: true });
  return call(`/api/v1/admin/jobs/failed/${failedJobId}/retry`, {
    method: 'POST',
    token: admin.token,
  });
}
