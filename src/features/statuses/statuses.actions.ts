import type { Database } from '../../db/client';
import type { AuthContext } from '../../env';
import { authorize, type WriteTarget } from '../../lib/access';
import { assertIfMatch, expectedUpdatedAt, nextUpdatedAt } from '../../lib/etag';
import { notFound, preconditionFailed } from '../../lib/problem';
import { deleteStatus, findStatus, type StatusRow, updateStatusContent } from './statuses.queries';
import { renderStatus } from './statuses.view';

/**
 * The status writes as rules, shared by the REST handlers and the GraphQL mutations.
 * `ifMatch` is REST's If-Match (GraphQL has none).
 */

export const statusNotFound = () => notFound('No status has this id.', 'status_not_found');

const staleWrite = () =>
  preconditionFailed('The status changed while this request was being applied.', 'etag_mismatch');

/** The status after the object-level check and If-Match against what GET would send. */
async function loadForWrite(
  db: Database,
  auth: AuthContext,
  action: 'status.update' | 'status.delete',
  target: WriteTarget,
): Promise<StatusRow> {
  const row = await findStatus(db, target.id);
  if (!row) throw statusNotFound();
  authorize(auth, action, row.authorId);
  await assertIfMatch(target.ifMatch, renderStatus(target.origin, row));
  return row;
}

export async function editStatus(
  db: Database,
  auth: AuthContext,
  target: WriteTarget & { content: string },
): Promise<StatusRow> {
  const current = await loadForWrite(db, auth, 'status.update', target);
  const { changed, status } = await updateStatusContent(db, {
    id: target.id,
    content: target.content,
    updatedAt: nextUpdatedAt(current.updatedAt),
    expectedUpdatedAt: expectedUpdatedAt(target.ifMatch, current.updatedAt),
  });
  if (!status) throw statusNotFound();
  if (!changed) throw staleWrite();
  return status;
}

export async function removeStatus(
  db: Database,
  auth: AuthContext,
  target: WriteTarget,
): Promise<void> {
  const current = await loadForWrite(db, auth, 'status.delete', target);
  const deleted = await deleteStatus(db, {
    id: target.id,
    expectedUpdatedAt: expectedUpdatedAt(target.ifMatch, current.updatedAt),
  });
  if (!deleted) throw target.ifMatch === undefined ? statusNotFound() : staleWrite();
}
