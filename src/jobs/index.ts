import type { z } from 'zod';
import { openDatabase } from '../db/client';
import { type Bindings, readConfig } from '../env';
import { logError } from '../lib/log';
import { cleanupAccount } from './account-cleanup';
import type { WorkerContext } from './context';
import { sendEmail } from './email';
import { firstLine, PermanentJobError } from './errors';
import { type FailedJobInput, recordFailedJobs } from './failed-jobs';
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

export async function workerContext(env: Bindings): Promise<WorkerContext> {
  const config = readConfig(env);
  return { env, config, db: (await openDatabase(env, config)).db, now: Date.now };
}

async function runJob(job: JobMessage, ctx: WorkerContext, handlers: JobHandlers) {
  const handler = handlers[job.type] as JobHandler<typeof job.type> | undefined;
  if (!handler) throw new Error(`No handler for job type ${job.type}`);
  await handler(job as never, ctx);
}

const problemOf = (error: z.ZodError) =>
  `Invalid message: ${error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`;

/**
 * Request logs arrive as many small messages: the consumer writes all of a batch's logs with
 * one call of the handler (one round trip) and acks or retries those messages together.
 */
async function runRequestLogs(
  messages: { message: Message<unknown>; job: JobOf<'request_log.batch'> }[],
  ctx: WorkerContext,
  handlers: JobHandlers,
) {
  const handler = handlers['request_log.batch'];
  if (messages.length === 0 || !handler) return;
  try {
    await handler(
      { type: 'request_log.batch', entries: messages.flatMap((m) => m.job.entries) },
      ctx,
    );
    for (const { message } of messages) message.ack();
  } catch (err) {
    logError({ job: 'request_log.batch', messages: messages.length }, err);
    for (const { message } of messages) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

/**
 * The queue consumer. Valid messages are dispatched by type and retried with backoff on
 * failure (the platform moves them to the dead-letter queue after max_retries). Messages
 * that can never succeed (bad shape, unknown type, or a job that failed permanently) are
 * recorded in failed_jobs and acked.
 */
export async function handleQueue(
  batch: MessageBatch<unknown>,
  env: Bindings,
  handlers: JobHandlers = jobHandlers,
): Promise<void> {
  const ctx = await workerContext(env);

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

  const rejected: FailedJobInput[] = [];
  const rejectedMessages: Message<unknown>[] = [];
  const reject = (message: Message<unknown>, error: string, retryable = true) => {
    rejected.push({
      queue: batch.queue,
      messageId: message.id,
      body: message.body,
      error,
      attempts: message.attempts,
      retryable,
    });
    rejectedMessages.push(message);
  };
  const logs: Parameters<typeof runRequestLogs>[0] = [];
  for (const message of batch.messages) {
    const parsed = JobMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      reject(message, problemOf(parsed.error));
      continue;
    }
    const job = parsed.data;
    if (!handlers[job.type]) {
      reject(message, `No handler for job type ${job.type}`);
      continue;
    }
    if (job.type === 'request_log.batch') {
      logs.push({ message, job });
      continue;
    }
    try {
      await runJob(job, ctx, handlers);
      message.ack();
    } catch (err) {
      if (err instanceof PermanentJobError) {
        reject(message, `Permanent failure: ${firstLine(err)}`, false);
        continue;
      }
      logError({ job: job.type, message_id: message.id, attempts: message.attempts }, err);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
  await runRequestLogs(logs, ctx, handlers);
  // Acked only once recorded: if recording fails they are redelivered, not lost.
  await recordFailedJobs(ctx.db, rejected, ctx.now());
  for (const message of rejectedMessages) message.ack();
}
