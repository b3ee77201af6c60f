/**
 * A job that can never succeed (an image the decoder refuses, a mail the provider rejects as
 * invalid): the consumer records it in failed_jobs at once, as not retryable, instead of
 * retrying it until it dead-letters.
 */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** The first line of an error's message: binding errors can carry a stack from the host. */
export const firstLine = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).split('\n', 1)[0]?.trim() ?? '';
