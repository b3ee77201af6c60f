import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/env';
import {
  BOOKMARK_HEADER,
  FIRST_PRIMARY,
  FIRST_UNCONSTRAINED,
  isBookmark,
  sessionStart,
} from '../../src/lib/bookmark';
import { newId } from '../../src/lib/ids';
import { signAccessToken } from '../../src/lib/tokens';
import { DEFAULT_PASSWORD, uniqueIp, uniqueName } from '../support/auth';
import { get, post } from '../support/http';

const LOCAL_BOOKMARK = '00000000-00000003-00000000-00000000000000000000000000000000';

describe('where a request session starts', () => {
  it('writes start at the primary, whatever bookmark they send', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) {
      expect(sessionStart(method, LOCAL_BOOKMARK)).toBe(FIRST_PRIMARY);
      expect(sessionStart(method, undefined)).toBe(FIRST_PRIMARY);
    }
  });

  it('reads start from a well-formed bookmark, else anywhere', () => {
    expect(sessionStart('GET', LOCAL_BOOKMARK)).toBe(LOCAL_BOOKMARK);
    expect(sessionStart('HEAD', ` ${LOCAL_BOOKMARK} `)).toBe(LOCAL_BOOKMARK);
    expect(sessionStart('GET', undefined)).toBe(FIRST_UNCONSTRAINED);
    expect(sessionStart('GET', '')).toBe(FIRST_UNCONSTRAINED);
    for (const garbage of [
      'first-primary',
      'not a bookmark',
      '0000-zzzz',
      '00000000',
      `${'0'.repeat(60)}-${'0'.repeat(60)}-${'0'.repeat(60)}-${'0'.repeat(60)}-${'0'.repeat(60)}`,
      "0000'; drop table users; --",
    ]) {
      expect(isBookmark(garbage), garbage).toBe(false);
      expect(sessionStart('GET', garbage), garbage).toBe(FIRST_UNCONSTRAINED);
    }
  });
});

describe('D1 sessions (the platform)', () => {
  it('a session opened from a write’s bookmark sees that write and moves forward', async () => {
    const writer = env.DB.withSession(FIRST_PRIMARY);
    await writer
      .prepare('insert into job_runs (id, job, started_at, outcome) values (?, ?, ?, ?)')
      .bind('bookmark-run', 'bookmark_test', Date.now(), 'ok')
      .run();
    const written = writer.getBookmark();
    expect(isBookmark(written)).toBe(true);

    const reader = env.DB.withSession(written ?? FIRST_UNCONSTRAINED);
    const row = await reader
      .prepare('select job from job_runs where id = ?')
      .bind('bookmark-run')
      .first<{ job: string }>();
    expect(row?.job).toBe('bookmark_test');
    const read = reader.getBookmark();
    expect(isBookmark(read)).toBe(true);
    expect((read ?? '').localeCompare(written ?? '')).toBeGreaterThanOrEqual(0);
  });
});

describe(`the ${BOOKMARK_HEADER} header`, () => {
  it('comes back on a response whose request used the database', async () => {
    const { status, headers } = await get('/health');
    expect(status).toBe(200);
    expect(isBookmark(headers.get(BOOKMARK_HEADER))).toBe(true);
  });

  it('echoed on a read, is accepted and answered with a bookmark no older', async () => {
    const first = (await get('/health')).headers.get(BOOKMARK_HEADER) ?? '';
    const { status, headers } = await get('/health', { headers: { [BOOKMARK_HEADER]: first } });
    expect(status).toBe(200);
    const second = headers.get(BOOKMARK_HEADER) ?? '';
    expect(isBookmark(second)).toBe(true);
    expect(second.localeCompare(first)).toBeGreaterThanOrEqual(0);
  });

  it('is ignored when malformed: the read still succeeds', async () => {
    const { status, headers } = await get('/health', {
      headers: { [BOOKMARK_HEADER]: 'garbage; not a bookmark' },
    });
    expect(status).toBe(200);
    expect(isBookmark(headers.get(BOOKMARK_HEADER))).toBe(true);
  });

  it('comes back on error responses too (here a 401 after the token’s user was looked up)', async () => {
    const { token } = await signAccessToken(readConfig(env), { id: newId(), tokenGeneration: 0 });
    // Straight to the Worker, with a token of a user that does not exist.
    const res = await exports.default.fetch(
      new Request('http://localhost/api/v1/users/me', {
        headers: { Authorization: `Bearer ${token}` },
      }),
    );
    expect(res.status).toBe(401);
    expect(isBookmark(res.headers.get(BOOKMARK_HEADER))).toBe(true);
  });

  it('a read sent with the bookmark of a write sees that write', async () => {
    const username = uniqueName('bm');
    const registered = await post(
      '/api/v1/auth/register',
      { email: `${username}@example.com`, username, password: DEFAULT_PASSWORD },
      { headers: { 'CF-Connecting-IP': uniqueIp() } },
    );
    expect(registered.status).toBe(201);
    const afterWrite = registered.headers.get(BOOKMARK_HEADER);
    expect(isBookmark(afterWrite)).toBe(true);

    const read = await get(`/api/v1/profiles/${username}`, {
      headers: { [BOOKMARK_HEADER]: afterWrite ?? '' },
    });
    expect(read.status).toBe(200);
    expect(read.body.username).toBe(username);
    const afterRead = read.headers.get(BOOKMARK_HEADER) ?? '';
    expect(afterRead.localeCompare(afterWrite ?? '')).toBeGreaterThanOrEqual(0);
  });

  it('a write ignores the bookmark it is sent and still answers with a fresh one', async () => {
    const before = (await get('/health')).headers.get(BOOKMARK_HEADER) ?? '';
    const username = uniqueName('bm');
    const { status, headers } = await post(
      '/api/v1/auth/register',
      { email: `${username}@example.com`, username, password: DEFAULT_PASSWORD },
      { headers: { 'CF-Connecting-IP': uniqueIp(), [BOOKMARK_HEADER]: 'not-a-bookmark' } },
    );
    expect(status).toBe(201);
    const after = headers.get(BOOKMARK_HEADER) ?? '';
    expect(isBookmark(after)).toBe(true);
    expect(after.localeCompare(before)).toBeGreaterThan(0);
  });

  it('is readable cross-origin (exposed by CORS)', async () => {
    const { headers } = await get('/health', { headers: { Origin: 'http://localhost:5173' } });
    expect(headers.get('Access-Control-Expose-Headers')).toContain(BOOKMARK_HEADER);
  });
});

describe('the OpenAPI document', () => {
  it('declares the bookmark on every response and as a request header on every read', async () => {
    const { body: doc } = await get('/openapi.json');
    expect(doc.components.headers.D1Bookmark.schema.type).toBe('string');
    expect(doc.components.parameters.D1Bookmark).toMatchObject({
      name: BOOKMARK_HEADER,
      in: 'header',
      required: false,
    });
    let operations = 0;
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        operations++;
        for (const [status, response] of Object.entries<any>(op.responses)) {
          expect(response.headers?.[BOOKMARK_HEADER], `${method} ${path} ${status}`).toEqual({
            $ref: '#/components/headers/D1Bookmark',
          });
        }
        const refs = (op.parameters ?? []).map((p: { $ref?: string }) => p.$ref);
        const expected = method === 'get' ? 1 : 0;
        expect(
          refs.filter((r: string | undefined) => r === '#/components/parameters/D1Bookmark'),
          `${method} ${path}`,
        ).toHaveLength(expected);
      }
    }
    expect(operations).toBeGreaterThan(0);
  });
});
