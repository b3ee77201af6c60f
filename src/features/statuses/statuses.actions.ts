import type { Database } from '../../db/client';
import type { AuthContext } from '../../env';
import { authorize, type WriteTarget } from '../../lib/access';
import { type EdgeCachePurge, statusCachePaths } from '../../lib/edge-cache';
import { assertIfMatch, expectedUpdatedAt, nextUpdatedAt } from '../../lib/etag';
import { notFound, preconditionFailed } from '../../lib/problem';
import {
  createStatus,
  deleteStatus,
  findStatus,
  type StatusRow,
  updateStatusContent,
} from './statuses.queries';
import { renderStatus } from './statuses.view';

/**
 * The status writes as rules, shared by the REST handlers and the GraphQL mutations.
 * `ifMatch` is REST's If-Match (GraphQL has none). Each write purges what it changed from this
 * location's edge cache (src/lib/edge-cache.ts).
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

/** Writes a new status; the status as its author sees it. */
export async function publishStatus(
  db: Database,
  purge: EdgeCachePurge,
  input: Parameters<typeof createStatus>[1],
): Promise<StatusRow> {
  const row = await createStatus(db, input);
  if (!row) throw new Error('The new status was not readable in its own batch.');
  purge(statusCachePaths(row.id, row.authorUsername));
  return row;
}

export async function editStatus(
  db: Database,
  purge: EdgeCachePurge,
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
  purge(statusCachePaths(status.id, status.authorUsername));
  return status;
}

export async function removeStatus(
  db: Database,
  purge: EdgeCachePurge,
  auth: AuthContext,
  target: WriteTarget,
): Promise<void> {
  const current = await loadForWrite(db, auth, 'status.delete', target);
  const deleted = await deleteStatus(db, {
    id: target.id,
    expectedUpdatedAt: expectedUpdatedAt(target.ifMatch, current.updatedAt),
  });
  if (!deleted) throw target.ifMatch === undefined ? statusNotFound() : staleWrite();
  purge(statusCachePaths(current.id, current.authorUsername));
}
