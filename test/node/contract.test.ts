import { describe, expect, it } from 'vitest';
import { assertMatchesContract, undeclaredFields } from '../support/contract';

// The checker every HTTP test runs (test/support/http.ts), fed hand-made responses: it must
// refuse what the OpenAPI document does not declare, or the response validation proves nothing.
const response = (status: number, body: unknown, headers: Record<string, string> = {}) => {
  const contentType =
    headers['Content-Type'] ??
    (status >= 400 ? 'application/problem+json' : body === undefined ? '' : 'application/json');
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: {
      'X-Request-Id': '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11',
      ...(contentType ? { 'Content-Type': contentType } : {}),
      ...headers,
    },
  });
};

const check = (method: string, path: string, res: Response, body: unknown) => () =>
  assertMatchesContract(method, `http://localhost${path}`, res, body);

const problem = (status: number, extra: Record<string, unknown> = {}) => ({
  type: 'about:blank',
  title: 'Error',
  status,
  detail: 'Something.',
  instance: '/health',
  request_id: '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11',
  code: 'example',
  ...extra,
});

describe('the response contract checker', () => {
  it('accepts a response the document declares', () => {
    const body = { status: 'ok', database: 'ok' };
    expect(check('GET', '/health', response(200, body), body)).not.toThrow();
    const down = { status: 'degraded', database: 'error' };
    const res = response(503, down, { 'Content-Type': 'application/json' });
    expect(check('GET', '/health', res, down)).not.toThrow();
  });

  it('rejects a status the route does not declare', () => {
    const body = problem(418);
    expect(check('GET', '/health', response(418, body), body)).toThrow(/does not declare/);
    expect(check('GET', '/health', response(201, {}), {})).toThrow(/answered 201/);
  });

  it('rejects a body of the wrong shape', () => {
    const wrongEnum = { status: 'fine', database: 'ok' };
    expect(check('GET', '/health', response(200, wrongEnum), wrongEnum)).toThrow(
      /does not match its schema/,
    );
    const missing = { status: 'ok' };
    expect(check('GET', '/health', response(200, missing), missing)).toThrow(
      /does not match its schema/,
    );
    expect(check('GET', '/health', response(200, [1, 2]), [1, 2])).toThrow(/does not match/);
  });

  it('rejects fields the schema does not declare (a leak or a drift)', () => {
    const leaky = { status: 'ok', database: 'ok', password_hash: '$scrypt$...' };
    expect(check('GET', '/health', response(200, leaky), leaky)).toThrow(/\/password_hash/);
    expect(
      undeclaredFields(
        { items: [{ id: 'a', secret: 1 }], next_cursor: null },
        { items: [{ id: 'a' }], next_cursor: null },
      ),
    ).toEqual(['/items/0/secret']);
  });

  it('rejects an undeclared content type', () => {
    const res = response(200, 'ok', { 'Content-Type': 'text/plain' });
    expect(check('GET', '/health', res, 'ok')).toThrow(/sent text\/plain/);
  });

  it('rejects a problem body whose status is not the HTTP status', () => {
    const body = problem(404);
    expect(check('GET', '/health', response(500, body), body)).toThrow(/says status 404/);
    expect(check('GET', '/nowhere', response(404, body), body)).not.toThrow();
  });

  it('rejects an unknown route answered with anything but a 404 problem', () => {
    expect(check('GET', '/nowhere', response(200, {}), {})).toThrow(/No declared route/);
    const res = response(404, { oops: true }, { 'Content-Type': 'application/json' });
    expect(check('GET', '/nowhere', res, { oops: true })).toThrow(/without a problem body/);
  });

  it('rejects a response without X-Request-Id', () => {
    const body = { status: 'ok', database: 'ok' };
    const res = new Response(JSON.stringify(body), {
      headers: { 'Content-Type': 'application/json' },
    });
    expect(check('GET', '/health', res, body)).toThrow(/X-Request-Id/);
  });

  it('checks text bodies against their schema too', () => {
    const res = () => response(200, '<html>', { 'Content-Type': 'text/html' });
    expect(check('GET', '/docs', res(), '<!doctype html>')).not.toThrow();
    expect(check('GET', '/docs', res(), 5)).toThrow(/does not match/);
  });
});
