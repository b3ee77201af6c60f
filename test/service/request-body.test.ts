import { describe, expect, it } from 'vitest';
import { createUser, type DirectUser } from '../support/direct-users';
import { call, get } from '../support/http';
import { imageForm, makePng } from '../support/images';
import { restOperations } from '../support/operations';

/**
 * How every operation with a request body treats the body's Content-Type (issue 10 items 9,
 * 17 and 18; issue 11 item 6). The operations come from the OpenAPI document, so a new one
 * is covered without touching this file.
 */

interface BodyOperation {
  method: string;
  path: string;
  accepted: string[];
}

async function bodyOperations(): Promise<BodyOperation[]> {
  return (await restOperations())
    .filter(({ operation }) => operation.requestBody)
    .map(({ method, url, operation }) => ({
      method,
      path: url,
      accepted: Object.keys(operation.requestBody.content),
    }));
}

const operations = await bodyOperations();
const jsonOperations = operations.filter((op) => op.accepted.includes('application/json'));
let admin: DirectUser | undefined;
// An administrator gets past every guard in front of the body (sign-in, admin-only routes).
const adminToken = async () => {
  admin ??= await createUser({ admin: true });
  return admin.token;
};
const send = async (op: BodyOperation, headers: Record<string, string>, body?: BodyInit) =>
  call(op.path, {
    method: op.method,
    token: await adminToken(),
    headers: { 'CF-Connecting-IP': `198.51.100.${Math.floor(Math.random() * 250)}`, ...headers },
    body: body ?? null,
  });

describe('the document lists the operations with a body', () => {
  it('finds the JSON and multipart ones', () => {
    expect(jsonOperations.length).toBeGreaterThan(8);
    expect(operations.some((op) => op.accepted.includes('multipart/form-data'))).toBe(true);
  });
});

describe('a JSON body is recognised by its media type, parsed per RFC 9110 (item 17)', () => {
  it.each(jsonOperations.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s accepts application/json with white space, parameters and any case',
    async (_name, op) => {
      for (const type of [
        'application/json ; charset=utf-8',
        'application/json;charset="UTF-8"',
        'Application/JSON',
      ]) {
        const res = await send(op, { 'Content-Type': type }, '{"unknown_field_x": 1}');
        expect(res.status, `${type}: ${JSON.stringify(res.body)}`).not.toBe(415);
        expect(res.status).toBeGreaterThanOrEqual(400);
      }
    },
  );

  it.each(jsonOperations.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s refuses +json and other types with 415, naming what it accepts',
    async (_name, op) => {
      for (const type of [
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/jsonx',
        'text/plain',
        'application/json garbage',
      ]) {
        const res = await send(op, { 'Content-Type': type }, '{}');
        expect(res.status, type).toBe(415);
        expect(res.body.code).toBe('unsupported_media_type');
        expect(res.body.detail).toContain('application/json');
      }
    },
  );
});

describe('a required body that is missing is refused (item 18)', () => {
  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s without a body or Content-Type is 415',
    async (_name, op) => {
      const res = await send(op, {});
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('unsupported_media_type');
      for (const type of op.accepted) expect(res.body.detail).toContain(type);
    },
  );

  it('PATCH /profiles/me with no body changes nothing and is not a 200', async () => {
    const user = await createUser();
    const before = await get(`/api/v1/profiles/${user.username}`);
    const res = await call('/api/v1/profiles/me', { method: 'PATCH', token: user.token });
    expect(res.status).toBe(415);
    expect((await get(`/api/v1/profiles/${user.username}`)).body).toEqual(before.body);
  });

  it('application/json with an empty body is 400 malformed_body', async () => {
    const user = await createUser();
    const res = await call('/api/v1/profiles/me', {
      method: 'PATCH',
      token: user.token,
      headers: { 'Content-Type': 'application/json' },
      body: '',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed_body');
  });
});

/** A PNG padded past the JSON body limit (64 KiB) with an ancillary chunk before IEND. */
async function largePng(bytes = 120 * 1024) {
  const png = await makePng(8, 8);
  const iend = png.length - 12;
  const padding = new Uint8Array(12 + bytes);
  padding.set([...new TextEncoder().encode('\0\0\0\0zzPd')], 0);
  new DataView(padding.buffer).setUint32(0, bytes);
  return new Uint8Array([...png.subarray(0, iend), ...padding, ...png.subarray(iend)]);
}

/** Sends a form with the multipart media type written in another letter case. */
async function sendFormInCase(
  method: string,
  path: string,
  token: string,
  form: FormData,
  essence: string,
) {
  const encoded = new Response(form);
  const [, ...parameters] = (encoded.headers.get('Content-Type') ?? '').split(';');
  return call(path, {
    method,
    token,
    headers: { 'Content-Type': [essence, ...parameters].join(';') },
    body: await encoded.arrayBuffer(),
  });
}

describe('multipart/form-data is recognised in any letter case (item 9)', () => {
  it('a 120 KB avatar sent as Multipart/Form-Data is stored, not refused with 413', async () => {
    const user = await createUser();
    const form = imageForm('file', await largePng());
    const res = await sendFormInCase(
      'PUT',
      '/api/v1/profiles/me/avatar',
      user.token,
      form,
      'Multipart/Form-Data',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.avatar_url).toContain('/api/v1/images/');
  });

  it('a post with a 120 KB image sent as MULTIPART/FORM-DATA is created', async () => {
    const user = await createUser();
    const form = imageForm('image', await largePng(), 'a.png', 'image/png', { body: 'Big one' });
    const res = await sendFormInCase(
      'POST',
      '/api/v1/posts',
      user.token,
      form,
      'MULTIPART/FORM-DATA',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.image.content_type).toBe('image/png');
  });
});

describe('a wrong Content-Type is a 415 that says what to send (issue 11 item 6)', () => {
  it('a raw PNG body to PUT /profiles/me/avatar is 415 naming multipart/form-data and `file`', async () => {
    const user = await createUser();
    const res = await call('/api/v1/profiles/me/avatar', {
      method: 'PUT',
      token: user.token,
      headers: { 'Content-Type': 'image/png' },
      body: await largePng(),
    });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
    expect(res.body.detail).toContain('multipart/form-data');
    expect(res.body.detail).toContain('`file`');
    expect(res.body.detail).not.toMatch(/larger than/);
  });

  it('a large JSON body to the avatar upload is 415, not the JSON size limit', async () => {
    const user = await createUser();
    const res = await call('/api/v1/profiles/me/avatar', {
      method: 'PUT',
      token: user.token,
      json: { file: btoa(Array.from(await largePng(), (b) => String.fromCharCode(b)).join('')) },
    });
    expect(res.status).toBe(415);
    expect(res.body.detail).toBe(
      'This operation does not take application/json. Send the body as multipart/form-data with a `file` part.',
    );
  });

  it('a form-encoded POST /posts is 415 naming JSON and multipart, not a 422', async () => {
    const user = await createUser();
    const res = await call('/api/v1/posts', {
      method: 'POST',
      token: user.token,
      body: new URLSearchParams({ body: 'Hello' }),
    });
    expect(res.status).toBe(415);
    expect(res.body.detail).toContain('application/json');
    expect(res.body.detail).toContain('multipart/form-data');
    expect(JSON.stringify(res.body)).not.toContain('received undefined');
  });

  it('a JSON body over the limit is still 413 on a JSON route', async () => {
    const user = await createUser();
    const res = await call('/api/v1/statuses', {
      method: 'POST',
      token: user.token,
      json: { content: 'x'.repeat(70_000) },
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });
});

describe('the document declares what the body checks answer (issue 11 item 6)', () => {
  it('every operation with a body declares 400, 413 and 415 with real codes', async () => {
    const missing: string[] = [];
    for (const { method, path, operation } of await restOperations()) {
      if (!operation.requestBody) continue;
      for (const status of ['400', '413', '415']) {
        const example = operation.responses[status]?.content?.['application/problem+json']?.example;
        if (!example || example.code === 'example' || example.status !== Number(status)) {
          missing.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
