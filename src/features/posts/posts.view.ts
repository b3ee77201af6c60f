import { authorOf } from '../../lib/author';
import { imageUrl, iso } from '../../lib/media-urls';
import type { PostRow } from './posts.queries';
import type { Post } from './posts.schemas';

/** The contract's post, from one joined row. The same function feeds GET, writes and If-Match. */
export function renderPost(origin: string, row: PostRow): Post {
  return {
    id: row.id,
    body: row.body,
    image:
      row.imageKey === null
        ? null
        : {
            url: imageUrl(origin, row.imageKey),
            thumbnail_url:
              row.imageThumbnailKey === null ? null : imageUrl(origin, row.imageKey, 'thumbnail'),
            width: row.imageWidth ?? 0,
            height: row.imageHeight ?? 0,
            content_type: row.imageContentType ?? 'application/octet-stream',
          },
    author: authorOf(origin, row.authorUsername, row.authorAvatarKey),
    like_count: row.likeCount,
    liked_by_me: Boolean(row.likedByMe),
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}
