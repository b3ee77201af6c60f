import { authorOf } from '../../lib/author';
import { iso } from '../../lib/media-urls';
import type { StatusRow } from './statuses.queries';
import type { Status } from './statuses.schemas';

export function renderStatus(origin: string, row: StatusRow): Status {
  return {
    id: row.id,
    content: row.content,
    author: authorOf(origin, row.authorUsername, row.authorAvatarKey),
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}
