import { z } from 'zod';

/** Every message on the JOBS queue: a discriminated union, validated before dispatch. */
export const ImageProcessMessage = z.object({
  type: z.literal('image.process'),
  image_key: z.string().min(1),
});

export const RequestLogEntry = z.object({
  id: z.string(),
  created_at: z.number().int(),
  method: z.string().max(10),
  route: z.string().max(200),
  path: z.string().max(2000),
  status: z.number().int().min(100).max(599),
  duration_ms: z.number().min(0),
  user_id: z.string().nullable(),
  username: z.string().nullable(),
  request_id: z.string(),
  ip_hash: z.string().nullable(),
  user_agent: z.string().max(512).nullable(),
  country: z.string().max(8).nullable(),
});

export const RequestLogBatchMessage = z.object({
  type: z.literal('request_log.batch'),
  entries: z.array(RequestLogEntry).min(1).max(100),
});

export const EmailSendMessage = z.object({
  type: z.literal('email.send'),
  id: z.string().min(1),
  to: z.email(),
  template: z.enum(['welcome', 'password_reset', 'email_change_verify', 'email_change_notice']),
  data: z.record(z.string(), z.string()),
});

export const AccountCleanupMessage = z.object({
  type: z.literal('account.cleanup'),
  user_id: z.string().min(1),
  cursor: z.string().optional(),
});

export const JobMessage = z.discriminatedUnion('type', [
  ImageProcessMessage,
  RequestLogBatchMessage,
  EmailSendMessage,
  AccountCleanupMessage,
]);

export type JobMessage = z.infer<typeof JobMessage>;
export type JobType = JobMessage['type'];
export type JobOf<T extends JobType> = Extract<JobMessage, { type: T }>;
export type RequestLogEntry = z.infer<typeof RequestLogEntry>;
