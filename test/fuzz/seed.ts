import { env, exports } from 'cloudflare:workers';
import { createDatabase } from '../../src/db/client';
import { failedJobs } from '../../src/db/schema';
import { newId } from '../../src/lib/ids';
import { insertLike, insertPost, insertRequestLog, insertStatus } from '../shared-cases/fixtures';
import {
  DEFAULT_PASSWORD,
  makeAdmin,
  markEmailVerified,
  registerUser,
  signUp,
  uniqueIp,
} from '../support/auth';
import { createUser } from '../support/direct-users';
import { get, post } from '../support/http';
import { imageForm, JPEG_3X2 } from '../support/images';
import type { OpenApiDocument } from './operations';
import type { Pools, Role } from './request-arbitrary';

export interface Actor {
  id: string;
  username: string;
  token: string;
}

/** The signed-in callers; replaced when a fuzzed request deletes, demotes or promotes one. */
export class Actors {
  constructor(
    public user: Actor,
    public admin: Actor,
  ) {}

  /** Signed up and logged in through the API, as a client would. */
  static async create() {
    return new Actors(await signedUp(false), await signedUp(true));
  }

  /** The Authorization header for `role`, if any. */
  authorization(role: Role): string | undefined {
    if (role === 'user') return `Bearer ${this.user.token}`;
    if (role === 'admin') return `Bearer ${this.admin.token}`;
    // Well-formed, but signed with another key and long expired.
    if (role === 'stale_token') {
      return 'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4IiwiZXhwIjoxfQ.c2lnbmF0dXJl';
    }
    return undefined;
  }

  /**
   * Replaces any actor whose token stopped working or whose admin flag changed, straight in
   * the database (no password hashing: deleting the account is a common fuzzed request).
   */
  async heal() {
    if (!(await stillValid(this.user, false))) this.user = await replacement(false);
    if (!(await stillValid(this.admin, true))) this.admin = await replacement(true);
  }
}

async function replacement(admin: boolean): Promise<Actor> {
  const user = await createUser({ admin });
  await markEmailVerified(user.id);
  return user;
}

async function signedUp(admin: boolean): Promise<Actor> {
  const account = await signUp();
  await markEmailVerified(account.user.id);
  if (admin) await makeAdmin(account.user.id);
  return { id: account.user.id, username: account.username, token: account.token };
}

async function stillValid(actor: Actor, admin: boolean) {
  const me = await exports.default.fetch(
    new Request('http://localhost/api/v1/users/me', {
      headers: { Authorization: `Bearer ${actor.token}` },
    }),
  );
  return me.status === 200 && (await me.json<{ is_admin: boolean }>()).is_admin === admin;
}

/**
 * A small data set: the actors, three more users with posts, likes and statuses, a post with
 * an image, a failed job and request logs. Returns the real values requests can aim at.
 */
export async function seedData(actors: Actors, doc: OpenApiDocument): Promise<Pools> {
  const db = createDatabase(env.DB);
  const others = [await registerUser(), await registerUser(), await registerUser()];
  const authors = [actors.user.id, actors.admin.id, ...others.map((u) => u.user.id as string)];
  const posts = [];
  const statuses = [];
  for (const userId of authors) {
    posts.push(await insertPost(db, userId), await insertPost(db, userId));
    statuses.push(await insertStatus(db, userId));
  }
  for (const [i, p] of posts.entries()) {
    for (const userId of authors.slice(0, i % authors.length)) await insertLike(db, p.id, userId);
  }
  const withImage = await post('/api/v1/posts', undefined, {
    token: actors.user.token,
    body: imageForm('image', JPEG_3X2, 'photo.jpg', 'image/jpeg', { body: 'with a photo' }),
  });
  if (withImage.status !== 201) throw new Error(`image post answered ${withImage.status}`);
  const job = {
    id: newId(),
    queue: 'ublog-jobs-dlq',
    messageId: 'fuzz',
    type: 'email.send',
    body: JSON.stringify({ type: 'nope' }),
    error: 'boom',
    attempts: 6,
    failedAt: new Date(),
  };
  await db.insert(failedJobs).values(job);
  for (let i = 0; i < 3; i++) await insertRequestLog(db, { userId: actors.user.id });

  const usernames = [actors.user.username, actors.admin.username, ...others.map((u) => u.username)];
  const emails = others.map((u) => u.email);
  return {
    postIds: [...posts.map((p) => p.id), withImage.body.id],
    statusIds: statuses.map((s) => s.id),
    userIds: [...authors],
    failedJobIds: [job.id],
    imageKeys: [imageKeyOf(withImage.body.image.url)],
    usernames,
    emails,
    prefixes: [...usernames.map((u) => u.slice(0, 3)), ...emails.map((e) => e.toUpperCase())],
    passwords: [DEFAULT_PASSWORD],
    cursors: await firstCursors(actors, doc),
  };
}

const imageKeyOf = (url: string) =>
  decodeURIComponent(new URL(url, 'http://localhost').pathname.split('/').at(-1) ?? '');

/** For every list without path parameters, the next_cursor of its first one-item page. */
async function firstCursors(actors: Actors, doc: OpenApiDocument) {
  const cursors: Record<string, string[]> = {};
  for (const [path, item] of Object.entries(doc.paths as Record<string, any>)) {
    const takesCursor = item.get?.parameters?.some((p: { name?: string }) => p.name === 'cursor');
    if (!takesCursor || path.includes('{')) continue;
    const page = await get(`${path}?limit=1`, {
      token: actors.admin.token,
      headers: { 'CF-Connecting-IP': uniqueIp() },
    });
    if (page.status === 200 && page.body.next_cursor) cursors[path] = [page.body.next_cursor];
  }
  return cursors;
}
