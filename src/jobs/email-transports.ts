import { PermanentJobError } from './errors';

export interface OutgoingEmail {
  id: string;
  to: string;
  template: string;
  subject: string;
  text: string;
}

/** Where rendered mail goes: the send_email binding, an HTTP provider, or the dev outbox. */
export interface EmailTransport {
  send(mail: OutgoingEmail): Promise<void>;
}

/** `μblog <noreply@example.com>` as the binding's { name, email }; a bare address as it is. */
export function parseSender(from: string): string | EmailAddress {
  const named = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(from);
  return named?.[1] ? { name: named[1], email: named[2] ?? '' } : (named?.[2] ?? from.trim());
}

/** The Workers send_email binding (Cloudflare Email Service), with the message builder API. */
export function sendEmailBindingTransport(binding: SendEmail, from: string): EmailTransport {
  const sender = parseSender(from);
  return {
    async send(mail) {
      await binding.send({ from: sender, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

export const RESEND_API_URL = 'https://api.resend.com';

// 4xx answers that a later attempt may not get: timeouts, a concurrent idempotent request,
// rate limits. Every other 4xx is a request the provider will always refuse.
const RETRYABLE_CLIENT_ERRORS = new Set([408, 409, 429]);

/**
 * Resend's HTTP API (POST /emails). The message id is the idempotency key, so a redelivered
 * queue message is not sent twice (Resend keeps keys for 24 hours).
 */
export function resendTransport(options: {
  apiKey: string;
  from: string;
  baseUrl?: string;
}): EmailTransport {
  const endpoint = new URL('/emails', options.baseUrl ?? RESEND_API_URL);
  return {
    async send(mail) {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${options.apiKey}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': `ublog-email/${mail.id}`,
          'User-Agent': 'ublog-edge',
        },
        body: JSON.stringify({
          from: options.from,
          to: [mail.to],
          subject: mail.subject,
          text: mail.text,
        }),
      });
      if (res.ok) {
        await res.body?.cancel();
        return;
      }
      // Only the error's name (validation_error, rate_limit_exceeded): its message may quote
      // the recipient's address.
      const name = await res
        .json()
        .then((b) => (b as { name?: unknown }).name)
        .catch(() => undefined);
      const problem = `Resend answered ${res.status}${typeof name === 'string' ? ` (${name.slice(0, 60)})` : ''}`;
      const permanent = res.status >= 400 && res.status < 500;
      if (permanent && !RETRYABLE_CLIENT_ERRORS.has(res.status)) {
        throw new PermanentJobError(problem);
      }
      throw new Error(problem);
    },
  };
}
