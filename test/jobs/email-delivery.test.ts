import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/env';
import { workerContext } from '../../src/jobs';
import { sendEmail } from '../../src/jobs/email';
import { newId } from '../../src/lib/ids';
import { runCron } from '../cron/support';
import { DEAD_LETTER_QUEUE, deliver, JOBS_QUEUE, retryAsAdmin } from '../support/queue';

// vitest.config.ts gives the tests a miniflare send_email binding named EMAIL that accepts
// only this sender and these recipients, so a wrong envelope fails as it would in production.
const FROM = 'noreply@ublog.example';
const ALLOWED_TO = 'ada@example.com';

const resetMail = (to: string, token = `tok-${newId()}`) => ({
  type: 'email.send' as const,
  id: newId(),
  to,
  template: 'password_reset' as const,
  data: { username: 'ada', token },
});

const outboxRow = (id: string) =>
  env.DB.prepare('select id from email_outbox where id = ?').bind(id).first();

/** The test env switched to the send_email transport (a new object: config is cached per env). */
const bindingEnv = () =>
  ({ ...env, EMAIL_TRANSPORT: 'send_email', EMAIL_FROM: `μblog <${FROM}>` }) as typeof env;

describe('mail through the send_email binding (miniflare)', () => {
  it('hands the rendered mail to the EMAIL binding, and nothing to the outbox', async () => {
    const sent: unknown[] = [];
    const recording = {
      async send(message: EmailMessageBuilder) {
        sent.push(message);
        return env.EMAIL.send(message);
      },
    } as SendEmail;
    const bindings = { ...bindingEnv(), EMAIL: recording };
    const ctx = { ...(await workerContext(bindings)), config: readConfig(bindings) };
    const job = resetMail(ALLOWED_TO);

    await sendEmail(job, ctx);

    expect(sent).toEqual([
      {
        from: { name: 'μblog', email: FROM },
        to: ALLOWED_TO,
        subject: 'Reset your μblog password',
        text: expect.stringContaining(job.data.token),
      },
    ]);
    expect(await outboxRow(job.id)).toBeNull();
  });

  it('through the queue: accepted mail is acked, a refused one is retried', async () => {
    const ok = resetMail(ALLOWED_TO);
    const refused = resetMail('mallory@example.com');
    const result = await deliver(
      JOBS_QUEUE,
      [
        { id: 'mail-ok', body: ok },
        { id: 'mail-refused', body: refused },
      ],
      bindingEnv(),
    );
    expect(result.explicitAcks).toEqual(['mail-ok']);
    expect(Object.keys(result.retryDelays)).toEqual(['mail-refused']);
    expect(await outboxRow(ok.id)).toBeNull();
  });
});

describe('a dead-lettered email.send message', () => {
  it('is stored with its token redacted, and cannot be retried', async () => {
    const job = resetMail(ALLOWED_TO, 'secret-reset-token-123');
    await deliver(DEAD_LETTER_QUEUE, [{ id: 'dead-mail', body: job, attempts: 6 }]);
    const row = await env.DB.prepare(
      'select id, body, retryable from failed_jobs where message_id = ?',
    )
      .bind('dead-mail')
      .first<{ id: string; body: string; retryable: number }>();
    expect(row?.body).not.toContain('secret-reset-token-123');
    expect(JSON.parse(row?.body ?? 'null')).toEqual({
      ...job,
      data: { username: 'ada', token: '[redacted]' },
    });
    expect(row?.retryable).toBe(0);

    const retry = await retryAsAdmin(row?.id);
    expect(retry.status).toBe(422);
    expect(retry.body.code).toBe('not_retryable');
  });
});

describe('the development outbox', () => {
  it('has the text of mail older than 48 h blanked by a cron step recorded in job_runs', async () => {
    const now = Date.now();
    const insert = (id: string, at: number) =>
      env.DB.prepare(
        `insert into email_outbox (id, "to", template, subject, text, created_at)
         values (?, 'ada@example.com', 'password_reset', 'Reset', 'token: tok-secret', ?)`,
      )
        .bind(id, at)
        .run();
    await insert('old-mail', now - 49 * 60 * 60 * 1000);
    await insert('new-mail', now - 47 * 60 * 60 * 1000);

    await runCron('*/15 * * * *');
    const text = async (id: string) =>
      (
        await env.DB.prepare('select text from email_outbox where id = ?')
          .bind(id)
          .first<{ text: string }>()
      )?.text;
    expect(await text('old-mail')).not.toContain('tok-secret');
    expect(await text('new-mail')).toBe('token: tok-secret');
    const runs = async () =>
      (
        await env.DB.prepare(
          "select outcome, rows_touched from job_runs where job = 'blank_outbox_tokens' order by started_at, id",
        ).all()
      ).results;
    expect(await runs()).toEqual([{ outcome: 'ok', rows_touched: 1 }]);

    await runCron('*/15 * * * *');
    expect((await runs()).at(-1)).toEqual({ outcome: 'ok', rows_touched: 0 });
  });
});
