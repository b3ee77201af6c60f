import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CLEANUP_PAGE_SIZE } from '../../src/jobs/account-cleanup';
import { newImageKey, userImagePrefix } from '../../src/lib/uploads';
import { signUp } from '../support/auth';
import { createUser } from '../support/direct-users';
import { del } from '../support/http';
import { deliver, eventually, JOBS_QUEUE } from '../support/queue';

const count = async (prefix: string) => {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await env.BUCKET.list({ prefix, ...(cursor ? { cursor } : {}) });
    n += page.objects.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return n;
};

async function putObjects(userId: string, n: number) {
  for (let i = 0; i < n; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, () =>
        env.BUCKET.put(newImageKey(userId, 'png'), new Uint8Array([1, 2, 3])),
      ),
    );
  }
}

const deleteUserRow = (id: string) =>
  env.DB.prepare('delete from users where id = ?').bind(id).run();

describe('account.cleanup', () => {
  it('deletes every object of a removed account in pages, re-queuing itself until done', async () => {
    const gone = await createUser();
    const neighbour = await createUser();
    const total = CLEANUP_PAGE_SIZE + 50;
    await putObjects(gone.id, total);
    await putObjects(neighbour.id, 3);
    await deleteUserRow(gone.id);

    const result = await deliver(JOBS_QUEUE, [
      { id: 'cleanup-1', body: { type: 'account.cleanup', user_id: gone.id } },
    ]);
    expect(result.explicitAcks).toEqual(['cleanup-1']);
    // One bounded page per message...
    expect(await count(userImagePrefix(gone.id))).toBe(total - CLEANUP_PAGE_SIZE);
    // ...and the message it queued for the rest is delivered by the local queue.
    await eventually(async () =>
      (await count(userImagePrefix(gone.id))) === 0 ? true : undefined,
    );
    expect(await count(userImagePrefix(neighbour.id))).toBe(3);
  });

  it('never deletes the objects of an account that still exists', async () => {
    const live = await createUser();
    await putObjects(live.id, 2);
    const result = await deliver(JOBS_QUEUE, [
      { id: 'cleanup-live', body: { type: 'account.cleanup', user_id: live.id } },
    ]);
    expect(result.explicitAcks).toEqual(['cleanup-live']);
    expect(await count(userImagePrefix(live.id))).toBe(2);
  });

  it("DELETE /users/me removes all of the account's objects through the queue", async () => {
    const { token, user, password } = await signUp();
    await putObjects(user.id, 5);
    const { status } = await del('/api/v1/users/me', {
      token,
      json: { current_password: password },
    });
    expect(status).toBe(204);
    await eventually(async () =>
      (await count(userImagePrefix(user.id))) === 0 ? true : undefined,
    );
  });
});
