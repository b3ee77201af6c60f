/**
 * The scope each list signs its cursors with (src/lib/pagination.ts). REST and GraphQL use the
 * same scopes, so a cursor works in both APIs and one list's cursor is refused by another.
 * JSON keeps the parts apart, so no two filter combinations can share a scope.
 */
const lower = (name: string | undefined) => name?.toLowerCase() ?? null;

export const listScopes = {
  posts: (author?: string) => JSON.stringify(['posts', null, lower(author)]),
  postsLikedBy: (likedBy: string, author?: string) =>
    JSON.stringify(['posts.liked_by', lower(likedBy), lower(author)]),
  postLikes: (postId: string) => JSON.stringify(['post.likes', postId]),
  statuses: (username?: string) => JSON.stringify(['statuses', lower(username)]),
  profiles: (q?: string) => JSON.stringify(['profiles', lower(q)]),
};
