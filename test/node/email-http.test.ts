import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resendTransport } from '../../src/jobs/email-transports';
import { PermanentJobError } from '../../src/jobs/errors';

// The HTTP transport against a stand-in for the provider's API: a real HTTP server on
// loopback, started here, that records what it receives and answers as told.
interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

let server: Server;
let baseUrl: string;
const received: Received[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: { id: 'em_1' } };

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    received.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: text ? JSON.parse(text) : null,
    });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received.length = 0;
  answer = { status: 200, body: { id: 'em_1' } };
});

const mail = {
  id: '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11',
  to: 'ada@example.com',
  template: 'password_reset',
  subject: 'Reset your μblog password',
  text: 'Use this token: tok-123',
};

const transport = () =>
  resendTransport({ apiKey: 're_test_key', from: 'μblog <noreply@ublog.example>', baseUrl });

describe('the Resend HTTP transport', () => {
  it('POSTs the mail to /emails with the key, an idempotency key per message and the fields', async () => {
    await transport().send(mail);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/emails');
    expect(request?.headers.authorization).toBe('Bearer re_test_key');
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(request?.headers['idempotency-key']).toBe(`ublog-email/${mail.id}`);
    expect(request?.headers['user-agent']).toBeTruthy();
    expect(request?.body).toEqual({
      from: 'μblog <noreply@ublog.example>',
      to: ['ada@example.com'],
      subject: 'Reset your μblog password',
      text: 'Use this token: tok-123',
    });
  });

  it('a server error or rate limit throws a retryable error naming the status, not the key', async () => {
    for (const status of [500, 429]) {
      answer = { status, body: { statusCode: status, name: 'rate_limit_exceeded', message: 'x' } };
      const error = await transport()
        .send(mail)
        .catch((err: unknown) => err);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PermanentJobError);
      expect(String((error as Error).message)).toContain(String(status));
      expect(String((error as Error).message)).not.toContain('re_test_key');
    }
  });

  it('a refused request (422) is a permanent failure: retrying cannot help', async () => {
    answer = {
      status: 422,
      body: { statusCode: 422, name: 'validation_error', message: 'Invalid `from` field.' },
    };
    const error = await transport()
      .send(mail)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PermanentJobError);
    expect((error as Error).message).toContain('validation_error');
    expect((error as Error).message).not.toContain('ada@example.com');
  });
});
