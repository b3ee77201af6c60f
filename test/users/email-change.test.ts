import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { expectProblem, loginStatus, waitForEmails } from '../auth/helpers';
import { markEmailVerified, registerUser, signUp, uniqueIp, uniqueName } from '../support/auth';
import { del, get, patch, post } from '../support/http';

// A stolen access token must not be enough to take the account: changing the address or
// deleting the account needs the password, and a new address counts only once verified.

const ME = '/api/v1/users/me';
const requestReset = (email: string) =>
  post('/api/v1/auth/password-reset', { email }, { headers: { 'CF-Connecting-IP': uniqueIp() } });

const outboxTexts = async (to: string) =>
  (
    await env.DB.prepare('select template, text from email_outbox where "to" = ?')
      .bind(to)
      .all<{ template: string; text: string }>()
  ).results;

describe('changing the email address', () => {
  it('needs current_password: missing is 422, wrong is 403 wrong_password, and nothing changes', async () => {
    const { token, email } = await signUp();
    const newEmail = `${uniqueName()}@example.org`;
    const missing = await patch(ME, { email: newEmail }, { token });
    expectProblem(missing, 422, 'validation_failed');
    expect(missing.body.errors[0].path).toBe('/body/current_password');
    const wrong = await patch(
      ME,
      { email: newEmail, current_password: 'not my password' },
      { token },
    );
    expectProblem(wrong, 403, 'wrong_password');
    const me = await get(ME, { token });
    expect(me.body).toMatchObject({ email, pending_email: null });
  });

  it('holds the new address as pending: login, reset and notices keep using the old one until it is verified', async () => {
    const { token, user, email, password } = await signUp();
    await markEmailVerified(user.id);
    const newEmail = `${uniqueName()}@example.org`;
    const res = await patch(ME, { email: newEmail, current_password: password }, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email, pending_email: newEmail, email_verified: true });

    expect(await loginStatus(newEmail, password)).toBe(401);
    expect(await loginStatus(email, password)).toBe(200);

    // A reset asked for the pending address sends nothing; one for the current address goes there.
    expect((await requestReset(newEmail)).status).toBe(202);
    expect((await requestReset(email)).status).toBe(202);
    await waitForEmails(email, 'password_reset');

    // The old address is told, without any token in the mail.
    await waitForEmails(email, 'email_change_notice');
    const [verifyToken] = await waitForEmails(newEmail, 'email_change_verify');
    expect(verifyToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const oldMail = await outboxTexts(email);
    const notice = oldMail.find((m) => m.template === 'email_change_notice');
    expect(notice?.text).not.toMatch(/[A-Za-z0-9_-]{43}/);
    expect(notice?.text).not.toContain(verifyToken);
    expect((await outboxTexts(newEmail)).map((m) => m.template)).toEqual(['email_change_verify']);

    const verified = await post('/api/v1/auth/verify-email', { token: verifyToken });
    expect(verified.status).toBe(204);
    const after = await get(ME, { token });
    expect(after.body).toMatchObject({
      email: newEmail,
      pending_email: null,
      email_verified: true,
    });
    expect(await loginStatus(newEmail, password)).toBe(200);
    expect(await loginStatus(email, password)).toBe(401);
  });

  it('spends every outstanding reset and verification token', async () => {
    const { token, email, password, user } = await signUp();
    expect((await requestReset(email)).status).toBe(202);
    const [resetToken] = await waitForEmails(email, 'password_reset');
    const [welcomeToken] = await waitForEmails(email, 'welcome');
    const res = await patch(
      ME,
      { email: `${uniqueName()}@example.org`, current_password: password },
      { token },
    );
    expect(res.status).toBe(200);
    const reset = await post('/api/v1/auth/password-reset/confirm', {
      token: resetToken,
      new_password: 'a brand new passphrase',
    });
    expectProblem(reset, 422, 'invalid_or_expired_token');
    expectProblem(
      await post('/api/v1/auth/verify-email', { token: welcomeToken }),
      422,
      'invalid_or_expired_token',
    );
    const { n } = (await env.DB.prepare(
      'select count(*) as n from one_time_tokens where user_id = ? and used_at is null',
    )
      .bind(user.id)
      .first<{ n: number }>()) ?? { n: -1 };
    expect(n).toBe(1); // only the token mailed to the new address
  });

  it('verifying a pending address another account took meanwhile is a 409, and nothing changes', async () => {
    const { token, email, password } = await signUp();
    const contested = `${uniqueName()}@example.org`;
    const res = await patch(ME, { email: contested, current_password: password }, { token });
    expect(res.status).toBe(200);
    const [verifyToken] = await waitForEmails(contested, 'email_change_verify');
    await registerUser({ email: contested });
    const verify = await post('/api/v1/auth/verify-email', { token: verifyToken });
    expectProblem(verify, 409, 'email_taken');
    expect((await get(ME, { token })).body).toMatchObject({ email, pending_email: contested });
  });

  it('re-casing the current address needs no password and changes nothing else', async () => {
    const { token, user, email } = await signUp();
    await markEmailVerified(user.id);
    const res = await patch(ME, { email: email.toUpperCase() }, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      email: email.toUpperCase(),
      email_verified: true,
      pending_email: null,
    });
  });
});

describe('deleting the account', () => {
  it('needs current_password: missing is 422, wrong is 403, and the account stays', async () => {
    const { token, user } = await signUp();
    expectProblem(await del(ME, { token, json: {} }), 422, 'validation_failed');
    expectProblem(
      await del(ME, { token, json: { current_password: 'not my password' } }),
      403,
      'wrong_password',
    );
    expect((await get(ME, { token })).body.id).toBe(user.id);
  });

  it('deletes with the right password', async () => {
    const { token, password } = await signUp();
    expect((await del(ME, { token, json: { current_password: password } })).status).toBe(204);
    expectProblem(await get(ME, { token }), 401);
  });
});
