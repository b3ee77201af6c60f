import type { Database } from '../../db/client';
import { assertIfMatch, expectedUpdatedAt, nextUpdatedAt } from '../../lib/etag';
import { notFound, preconditionFailed } from '../../lib/problem';
import { findProfileByUserId, type ProfileRow, updateProfile } from './profiles.queries';
import { renderProfile } from './profiles.view';

export const profileNotFound = () => notFound('No user has this username.', 'profile_not_found');

/**
 * Edits the caller's bio and/or city (undefined keeps a value), shared by REST and GraphQL.
 * `ifMatch` is REST's If-Match, checked against the profile as GET renders it.
 */
export async function editProfile(
  db: Database,
  userId: string,
  input: { bio?: string; city?: string; ifMatch?: string; origin: string },
): Promise<ProfileRow> {
  const current = await findProfileByUserId(db, userId);
  if (!current) throw profileNotFound();
  await assertIfMatch(input.ifMatch, renderProfile(input.origin, current));
  const { changed, profile } = await updateProfile(db, {
    userId,
    bio: input.bio,
    city: input.city,
    updatedAt: nextUpdatedAt(current.updatedAt),
    expectedUpdatedAt: expectedUpdatedAt(input.ifMatch, current.updatedAt),
  });
  if (!profile) throw profileNotFound();
  if (!changed) {
    throw preconditionFailed(
      'The profile changed while this request was being applied.',
      'etag_mismatch',
    );
  }
  return profile;
}
