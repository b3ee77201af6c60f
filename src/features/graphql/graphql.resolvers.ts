import type { AuthContext } from '../../env';
import { assertWriter } from '../../lib/auth';
import { newId } from '../../lib/ids';
import { listScopes } from '../../lib/list-scopes';
import { avatarUrl } from '../../lib/media-urls';
import { unauthorized } from '../../lib/problem';
import { countWrite } from '../../lib/write-limit';
import type { LikeOfPost } from '../posts/likes.queries';
import { editPost, postNotFound, removePost, setLike } from '../posts/posts.actions';
import {
  createPost,
  findPost,
  listPosts,
  listPostsLikedBy,
  type PostRow,
} from '../posts/posts.queries';
import { CreatePostBody, ListPostsQuery, UpdatePostBody } from '../posts/posts.schemas';
import { renderPost } from '../posts/posts.view';
import { editProfile } from '../profiles/profiles.actions';
import { findProfileByUsername, listProfiles } from '../profiles/profiles.queries';
import { ListProfilesQuery, UpdateProfileBody, UsernameParams } from '../profiles/profiles.schemas';
import { editStatus, removeStatus } from '../statuses/statuses.actions';
import {
  createStatus,
  findStatus,
  listStatuses,
  type StatusRow,
} from '../statuses/statuses.queries';
import {
  CreateStatusBody,
  ListStatusesQuery,
  UpdateStatusBody,
} from '../statuses/statuses.schemas';
import { findUser } from '../users/users.queries';
import {
  checkArgument,
  checkId,
  connection,
  type PageArgs,
  pageSize,
  readAfter,
  toConnection,
} from './graphql.connections';
import type { GraphQLContext, UserNode } from './graphql.context';

type ViewerRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;

/** Field resolvers of one type; each declares the arguments it takes. */
type Resolvers<Parent> = Record<
  string,
  (parent: Parent, args: never, ctx: GraphQLContext) => unknown
>;

// An argument passed as null means "not given", as for REST's optional fields.
const given = <T>(value: T | null | undefined) => value ?? undefined;

const postPosition = (row: PostRow) => ({ at: row.createdAt.getTime(), id: row.id });
const statusPosition = (row: StatusRow) => ({ at: row.createdAt.getTime(), id: row.id });
const userPosition = (row: UserNode) => ({ at: row.createdAt.getTime(), id: row.userId });

/** The signed-in caller, or REST's 401 `unauthenticated`. */
function caller(ctx: GraphQLContext): AuthContext {
  if (!ctx.auth) throw unauthorized();
  return ctx.auth;
}

/** What REST's requireWriter and limitWrites ask of a write, in the same order. */
async function writer(ctx: GraphQLContext): Promise<AuthContext> {
  const auth = caller(ctx);
  assertWriter(ctx.config, auth);
  await countWrite(ctx.env, auth.userId);
  return auth;
}

async function author(ctx: GraphQLContext, userId: string): Promise<UserNode> {
  const user = await ctx.loaders.userById.load(userId);
  if (!user) throw new Error(`The author ${userId} of a loaded row was not found.`);
  return user;
}

function postsOf(
  ctx: GraphQLContext,
  args: PageArgs & { author?: string | null; likedBy?: string | null },
) {
  const viewerId = ctx.auth?.userId ?? null;
  const authorName = given(
    checkArgument(ListPostsQuery.shape.author, 'author', given(args.author)),
  );
  const likedBy = given(
    checkArgument(ListPostsQuery.shape.liked_by, 'likedBy', given(args.likedBy)),
  );
  if (likedBy !== undefined) {
    return connection(ctx, args, {
      scope: listScopes.postsLikedBy(likedBy, authorName),
      fetch: (position, limit) =>
        listPostsLikedBy(ctx.db, { viewerId, likedBy, author: authorName, position, limit }),
      positionOf: (row) => ({ at: row.likedAt, id: row.id }),
    });
  }
  return connection(ctx, args, {
    scope: listScopes.posts(authorName),
    fetch: (position, limit) =>
      listPosts(ctx.db, { viewerId, author: authorName, position, limit }),
    positionOf: postPosition,
  });
}

function statusesOf(ctx: GraphQLContext, args: PageArgs & { username?: string | null }) {
  const username = given(
    checkArgument(ListStatusesQuery.shape.username, 'username', given(args.username)),
  );
  return connection(ctx, args, {
    scope: listScopes.statuses(username),
    fetch: (position, limit) => listStatuses(ctx.db, { username, position, limit }),
    positionOf: statusPosition,
  });
}

/** The post as its liker sees it right after the like changed. */
async function likeAndRead(ctx: GraphQLContext, id: string, liked: boolean) {
  const auth = await writer(ctx);
  const postId = checkId(id);
  await setLike(ctx.db, { postId, userId: auth.userId, liked });
  const post = await findPost(ctx.db, postId, auth.userId);
  if (!post) throw postNotFound();
  return post;
}

const Query: Resolvers<unknown> = {
  viewer: async (_, __, ctx) =>
    ctx.auth ? ((await findUser(ctx.db, ctx.auth.userId)) ?? null) : null,
  user: async (_, args: { username: string }, ctx) => {
    const username = checkArgument(UsernameParams.shape.username, 'username', args.username);
    return (await findProfileByUsername(ctx.db, username)) ?? null;
  },
  post: (_, args: { id: string }, ctx) => ctx.loaders.postById.load(checkId(args.id)),
  posts: (_, args: PageArgs & { author?: string | null; likedBy?: string | null }, ctx) =>
    postsOf(ctx, args),
  status: async (_, args: { id: string }, ctx) =>
    (await findStatus(ctx.db, checkId(args.id))) ?? null,
  statuses: (_, args: PageArgs & { username?: string | null }, ctx) => statusesOf(ctx, args),
  users: (_, args: PageArgs & { q?: string | null }, ctx) => {
    const q = given(checkArgument(ListProfilesQuery.shape.q, 'q', given(args.q)));
    return connection(ctx, args, {
      scope: listScopes.profiles(q),
      fetch: (position, limit) => listProfiles(ctx.db, { q, position, limit }),
      positionOf: userPosition,
    });
  },
};

const Viewer: Resolvers<ViewerRow> = {
  user: ({ id, ...row }) => ({ userId: id, ...row }) satisfies UserNode,
};

const User: Resolvers<UserNode> = {
  id: (row) => row.userId,
  profile: (row) => row,
  posts: (row, args: PageArgs, ctx) => postsOf(ctx, { ...args, author: row.username }),
  statuses: (row, args: PageArgs, ctx) => statusesOf(ctx, { ...args, username: row.username }),
};

const Profile: Resolvers<UserNode> = {
  avatarUrl: (row, _, ctx) => avatarUrl(ctx.origin, row.avatarKey),
};

const Post: Resolvers<PostRow> = {
  imageUrl: (row, _, ctx) => renderPost(ctx.origin, row).image?.url ?? null,
  thumbnailUrl: (row, _, ctx) => renderPost(ctx.origin, row).image?.thumbnail_url ?? null,
  // Read with the post (one row), and handed to the user loader for likers on the same page.
  author: (row, _, ctx) => {
    const user: UserNode = {
      userId: row.authorId,
      username: row.authorUsername,
      createdAt: row.authorCreatedAt,
      bio: row.authorBio ?? '',
      city: row.authorCity ?? '',
      avatarKey: row.authorAvatarKey,
      postCount: row.authorPostCount ?? 0,
    };
    ctx.loaders.userById.prime(row.authorId, user);
    return user;
  },
  likedByViewer: (row) => Boolean(row.likedByMe),
  likes: async (row, args: PageArgs, ctx) => {
    const limit = pageSize(args.first);
    const scope = listScopes.postLikes(row.id);
    const position = await readAfter(ctx, scope, args.after);
    const rows = await ctx.loaders.likesOfPost.load({ postId: row.id, position, limit });
    return toConnection(ctx, scope, rows, limit, (like) => ({ at: like.likedAt, id: like.userId }));
  },
};

const Like: Resolvers<LikeOfPost> = {
  user: (like, _, ctx) => author(ctx, like.userId),
};

const Status: Resolvers<StatusRow> = {
  author: (row, _, ctx) => author(ctx, row.authorId),
};

const Mutation: Resolvers<unknown> = {
  createPost: async (_, args: { body: string }, ctx) => {
    const auth = await writer(ctx);
    const body = checkArgument(CreatePostBody.shape.body, 'body', args.body);
    const row = await createPost(ctx.db, {
      id: newId(),
      authorId: auth.userId,
      body,
      now: Date.now(),
    });
    if (!row) throw new Error('The new post was not readable in its own batch.');
    return row;
  },
  updatePost: async (_, args: { id: string; body: string }, ctx) => {
    const auth = await writer(ctx);
    const id = checkId(args.id);
    const body = checkArgument(UpdatePostBody.shape.body, 'body', args.body);
    return editPost(ctx.db, auth, { id, body, origin: ctx.origin });
  },
  deletePost: async (_, args: { id: string }, ctx) => {
    const auth = await writer(ctx);
    const id = checkId(args.id);
    await removePost(ctx.db, ctx.env.BUCKET, auth, { id, origin: ctx.origin });
    return id;
  },
  likePost: (_, args: { id: string }, ctx) => likeAndRead(ctx, args.id, true),
  unlikePost: (_, args: { id: string }, ctx) => likeAndRead(ctx, args.id, false),
  createStatus: async (_, args: { content: string }, ctx) => {
    const auth = await writer(ctx);
    const content = checkArgument(CreateStatusBody.shape.content, 'content', args.content);
    const row = await createStatus(ctx.db, {
      id: newId(),
      authorId: auth.userId,
      content,
      now: Date.now(),
    });
    if (!row) throw new Error('The new status was not readable in its own batch.');
    return row;
  },
  updateStatus: async (_, args: { id: string; content: string }, ctx) => {
    const auth = await writer(ctx);
    const id = checkId(args.id);
    const content = checkArgument(UpdateStatusBody.shape.content, 'content', args.content);
    return editStatus(ctx.db, auth, { id, content, origin: ctx.origin });
  },
  deleteStatus: async (_, args: { id: string }, ctx) => {
    const auth = await writer(ctx);
    const id = checkId(args.id);
    await removeStatus(ctx.db, auth, { id, origin: ctx.origin });
    return id;
  },
  // Like REST's PATCH /profiles/me: a writer, not counted against the write budget.
  updateProfile: async (_, args: { bio?: string | null; city?: string | null }, ctx) => {
    const auth = caller(ctx);
    assertWriter(ctx.config, auth);
    const bio = checkArgument(UpdateProfileBody.shape.bio, 'bio', given(args.bio));
    const city = checkArgument(UpdateProfileBody.shape.city, 'city', given(args.city));
    return editProfile(ctx.db, auth.userId, { bio, city, origin: ctx.origin });
  },
};

/** Field resolvers by type; fields not listed read the property of the same name. */
export const resolvers = { Query, Mutation, Viewer, User, Profile, Post, Like, Status };
