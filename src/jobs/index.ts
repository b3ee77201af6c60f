import { openDatabase } from '../db/client';
import { type Bindings, readConfig } from '../env';
import { logError } from '../lib/log';
import { cleanupAccount } from './account-cleanup';
import type { WorkerContext } from './context';
import { sendEmail } from './email';
import { recordFailedJobs } from './failed-jobs';
import { processImage } from './image-process';
import {
  type JobMessage,
  JobMessage as JobMessageSchema,
  type JobOf,
  type JobType,
} from './messages';
import { insertRequestLogs } from './request-logs';

export const DEAD_LETTER_SUFFIX = '-dlq';

type JobHandler<T extends JobType> = (job: JobOf<T>, ctx: WorkerContext) => Promise<void>;
export type JobHandlers = { [T in JobType]?: JobHandler<T> };

export const jobHandlers: JobHandlers = {
  'email.send': sendEmail,
  'request_log.batch': insertRequestLogs,
  'image.process': processImage,
  'account.cleanup': cleanupAccount,
};

/** Exponential backoff for redelivery: 10 s, 20 s, 40 s ... capped at 15 minutes. */
export const retryDelaySeconds = (attempts: number) =>
  Math.min(10 * 2 ** Math.max(0, attempts - 1), 900);

export function workerContext(env: Bindings): WorkerContext {
  const config = readConfig(env);
  return { env, config, db: openDatabase(env, config).db, now: Date.now };
}

async function runJob(job: JobMessage, ctx: WorkerContext, handlers: JobHandlers) {
  const handler = handlers[job.type] as JobHandler<typeof job.type> | undefined;
  if (!handler) throw new Error(`No handler for job type ${job.type}`);
  await handler(job as never, ctx);
}

/**
 * The queue consumer. Valid messages are dispatched by type and retried with backoff on
 * failure (the platform moves them to the dead-letter queue after max_retries). Messages
 * that can never succeed (bad shape, unknown type) are recorded in failed_jobs and acked.
 */
export async function handleQueue(
  batch: MessageBatch<unknown>,
  env: Bindings,
  handlers: JobHandlers = jobHandlers,
): Promise<void> {
  const ctx = workerContext(env);

  if (batch.queue.endsWith(DEAD_LETTER_SUFFIX)) {
    await recordFailedJobs(
      ctx.db,
      batch.messages.map((m) => ({
        queue: batch.queue,
        messageId: m.id,
        body: m.body,
        error: 'Retries exhausted: moved to the dead-letter queue.',
        attempts: m.attempts,
      })),
      ctx.now(),
    );
    batch.ackAll();
    return;
  }

  const rejected: Parameters<typeof recordFailedJobs>[1] = [];
  const rejectedMessages: Message<unknown>[] = [];
  for (const message of batch.messages) {
    const parsed = JobMessageSchema.safeParse(message.body);
    if (!parsed.success || !handlers[parsed.data.type]) {
      rejected.push({
        queue: batch.queue,
        messageId: message.id,
        body: message.body,
        error: parsed.success
          ? `No handler for job type ${parsed.data.type}`
          : `Invalid message: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
        attempts: message.attempts,
      });
      rejectedMessages.push(message);
      continue;
    }
    try {
      await runJob(parsed.data, ctx, handlers);
      message.ack();
    } catch (err) {
      logError({ job: parsed.data.type, message_id: message.id, attempts: message.attempts }, err);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
  // Acked only once recorded: if recording fails they are redelivered, not lost.
  await recordFailedJobs(ctx.db, rejected, ctx.now());
  for (const message of rejectedMessages) message.ack();
}
