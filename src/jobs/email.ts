import { emailOutbox } from '../db/schema';
import type { WorkerContext } from './context';
import {
  type EmailTransport,
  type OutgoingEmail,
  resendTransport,
  sendEmailBindingTransport,
} from './email-transports';
import type { JobOf } from './messages';

/** The development transport: mail lands in the email_outbox table (blanked after 48 h). */
export const outboxTransport = (ctx: WorkerContext): EmailTransport => ({
  async send(mail) {
    // Keyed by the message's id: a redelivered message does not send twice.
    await ctx.db
      .insert(emailOutbox)
      .values({ ...mail, createdAt: new Date(ctx.now()) })
      .onConflictDoNothing();
  },
});

/** The transport EMAIL_TRANSPORT names (readConfig has checked that it is fully configured). */
export function transportFor(ctx: WorkerContext): EmailTransport {
  const { config, env } = ctx;
  const from = config.EMAIL_FROM ?? '';
  switch (config.EMAIL_TRANSPORT) {
    case 'send_email':
      if (!env.EMAIL) throw new Error('EMAIL_TRANSPORT=send_email without an EMAIL binding');
      return sendEmailBindingTransport(env.EMAIL, from);
    case 'resend':
      return resendTransport({ apiKey: config.RESEND_API_KEY ?? '', from });
    case 'outbox':
      return outboxTransport(ctx);
  }
}

function render(job: JobOf<'email.send'>): Pick<OutgoingEmail, 'subject' | 'text'> {
  const name = job.data.username ?? 'there';
  switch (job.template) {
    case 'welcome':
      return {
        subject: 'Welcome to μblog: confirm your email',
        text: `Hi ${name},\n\nWelcome to μblog. Confirm your email address with this token (valid for 48 hours):\n\n${job.data.token ?? ''}\n\nPOST it to /api/v1/auth/verify-email as {"token": "..."}.\n`,
      };
    case 'email_change_verify':
      return {
        subject: 'Confirm your new μblog email address',
        text: `Hi ${name},\n\nYou asked to use this address for your μblog account. Confirm it with this token (valid for 48 hours):\n\n${job.data.token ?? ''}\n\nPOST it to /api/v1/auth/verify-email as {"token": "..."}. Until then your account keeps its current address. If it was not you, ignore this email.\n`,
      };
    case 'email_change_notice':
      // Sent to the old address; it carries no token, only the news.
      return {
        subject: 'Your μblog email address is being changed',
        text: `Hi ${name},\n\nSomeone signed in to your μblog account asked to change its email address to ${job.data.new_email ?? 'another address'}. The change takes effect only once it is confirmed from that address; until then this address stays in use.\n\nIf it was not you, change your password now (POST /api/v1/auth/password) and log out everywhere (POST /api/v1/auth/logout-all).\n`,
      };
    case 'password_reset':
      return {
        subject: 'Reset your μblog password',
        text: `Hi ${name},\n\nSomeone asked to reset your password. If it was you, use this token within one hour:\n\n${job.data.token ?? ''}\n\nPOST it with your new password to /api/v1/auth/password-reset/confirm. If it was not you, ignore this email.\n`,
      };
  }
}

export async function sendEmail(
  job: JobOf<'email.send'>,
  ctx: WorkerContext,
  transport = transportFor(ctx),
) {
  const mail: OutgoingEmail = { id: job.id, to: job.to, template: job.template, ...render(job) };
  await transport.send(mail);
}
