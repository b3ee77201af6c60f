import { avatarUrl, imageUrl, iso } from '../../lib/media-urls';
import type { ProfileRow } from './profiles.queries';
import type { Profile } from './profiles.schemas';

export function renderProfile(origin: string, row: ProfileRow): Profile {
  return {
    username: row.username,
    bio: row.bio,
    city: row.city,
    avatar_url: avatarUrl(origin, row.avatarKey),
    avatar_thumbnail_url:
      row.avatarKey === null || row.avatarThumbnailKey === null
        ? null
        : imageUrl(origin, row.avatarKey, 'thumbnail'),
    post_count: row.postCount,
    created_at: iso(row.createdAt),
  };
}
