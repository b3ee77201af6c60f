import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client';
import { likes, users } from '../../src/db/schema';
import { toApiError } from '../../src/lib/errors';

// Real constraint errors from local D1, not hand-made ones.
async function thrownBy(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the statement to fail');
}

describe('toApiError', () => {
  const db = createDatabase(env.DB);

  it('turns an unforeseen foreign-key violation into a 409, not a 500', async () => {
    const err = await thrownBy(() =>
      db.insert(likes).values({ postId: 'no-such-post', userId: 'no-such-user' }),
    );
    const problem = toApiError(err);
    expect(problem.status).toBe(409);
    expect(problem.code).toBe('referenced_resource_gone');
    expect(problem.message).not.toMatch(/FOREIGN KEY|likes|insert/i);
  });

  it('turns an unforeseen unique violation into a 409 without SQL in the detail', async () => {
    const row = {
      id: 'u-dup',
      email: 'dup@example.com',
      username: 'dup_user',
      passwordHash: 'x',
      updatedAt: new Date(),
    };
    await db.insert(users).values(row);
    const err = await thrownBy(() => db.insert(users).values({ ...row, id: 'u-dup-2' }));
    const problem = toApiError(err);
    expect(problem.status).toBe(409);
    expect(problem.message).not.toMatch(/UNIQUE|users|insert/i);
  });

  it('hides anything else behind a 500', () => {
    const problem = toApiError(new Error('SELECT secret FROM vault'));
    expect(problem.status).toBe(500);
    expect(problem.message).not.toContain('SELECT');
  });
});
