import type { Bindings } from '../env';
import { newId } from './ids';
import { logError } from './log';

export interface QueuedEmail {
  to: string;
  template: 'welcome' | 'password_reset' | 'email_change_verify' | 'email_change_notice';
  data: Record<string, string>;
}

/**
 * Puts an email on the jobs queue (the consumer renders and sends it). A queue outage must not
 * fail the request that caused the email: it is logged, and the user can ask again.
 */
export async function queueEmail(queue: Bindings['JOBS'], email: QueuedEmail): Promise<boolean> {
  try {
    await queue.send({ type: 'email.send', id: newId(), ...email });
    return true;
  } catch (err) {
    logError({ event: 'email_queue_failed', template: email.template }, err);
    return false;
  }
}
