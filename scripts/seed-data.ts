/**
 * The BENCH.md data set, generated deterministically (a fixed-seed PRNG, no Math.random, no
 * clock): at scale N, 200N users with profiles, 5,000N posts (10% with an image row), 50,000N
 * likes skewed towards a few popular posts (unique per post and user), 2,000N statuses, over
 * the ~90 days before a fixed anchor. Pure TypeScript, so the Node seed script and the
 * workerd tests both use it. Counters (post_count, like_count) match the rows exactly.
 */

import { statementsFor } from './seed-sql';

export { insertStatements, sqlLiteral, statementsFor } from './seed-sql';

export const DEMO_PASSWORD = 'ublog-demo-password';
/** hashPassword(DEMO_PASSWORD) from src/lib/passwords.ts, made once: seeding never hashes. */
export const DEMO_PASSWORD_HASH =
  '$scrypt$ln=14,r=8,p=5$5jHWZ+MV4h9qSgwr9C5jYQ$4PDFxjMKqxr20HGs0FAfywbxYj1gDtD0d1a8s3FWqoE';

export const SEED = 0x5eed2026;
/** "Now" for the generated timestamps (fixed, so ids and rows are the same on every run). */
export const SEED_ANCHOR_MS = Date.UTC(2026, 10, 1);
export const BASE_COUNTS = { users: 200, posts: 5000, likes: 50_000, statuses: 2000 } as const;
const IMAGE_EVERY = 10; // one post in ten has an image
const POPULAR_POSTS_PER_SCALE = 5;
const POPULAR_LIKE_SHARE = 0.8; // of all users like each popular post
const DAY_MS = 86_400_000;
const SPAN_MS = 90 * DAY_MS;

export interface SeedUser {
  id: string;
  email: string;
  username: string;
  passwordHash: string;
  emailVerified: boolean;
  isAdmin: boolean;
  createdAt: number;
}
export interface SeedProfile {
  userId: string;
  bio: string;
  city: string;
  postCount: number;
  updatedAt: number;
}
export interface SeedImage {
  key: string;
  ownerId: string;
  contentType: 'image/png';
  size: number;
  width: number;
  height: number;
  createdAt: number;
}
export interface SeedPost {
  id: string;
  userId: string;
  body: string;
  imageKey: string | null;
  likeCount: number;
  createdAt: number;
}
export interface SeedLike {
  postId: string;
  userId: string;
  createdAt: number;
}
export interface SeedStatus {
  id: string;
  userId: string;
  content: string;
  createdAt: number;
}
export interface SeedData {
  scale: number;
  users: SeedUser[];
  profiles: SeedProfile[];
  images: SeedImage[];
  posts: SeedPost[];
  likes: SeedLike[];
  statuses: SeedStatus[];
}

/** mulberry32: small, fast, and the same sequence everywhere for the same seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}
type Rng = ReturnType<typeof prng>;

/** A UUIDv7 (time-ordered like src/lib/ids.ts) whose random bits come from the PRNG. */
function seededId(rng: Rng, ms: number): string {
  const bytes = new Uint8Array(16);
  let ts = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ts % 256;
    ts = Math.floor(ts / 256);
  }
  for (let i = 6; i < 16; i++) bytes[i] = rng.int(256);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const WORDS = (
  'edge worker latency cache region replica bookmark queue cron image thumbnail like post ' +
  'status profile coffee morning bridge river city night rain sun garden book music code ' +
  'deploy review test bench metric budget index cursor page batch counter friend weekend ' +
  'train walk sketch photo bread tea market harbour library window lamp quiet bright small'
).split(' ');
const CITIES = ['Lisbon', 'Berlin', 'Nairobi', 'Osaka', 'Lima', 'Toronto', 'Oslo', 'Austin', ''];
const BIOS = ['Writes about the edge.', 'Coffee, code, cameras.', 'Here for the likes.', ''];
const SIZES = [
  [640, 480],
  [800, 600],
  [1024, 768],
  [1200, 900],
] as const;

function sentence(rng: Rng, minWords: number, maxWords: number): string {
  const n = minWords + rng.int(maxWords - minWords + 1);
  const words = Array.from({ length: n }, () => rng.pick(WORDS));
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(rng: Rng, maxChars: number, sentences: number): string {
  const parts = Array.from({ length: 1 + rng.int(sentences) }, () => sentence(rng, 4, 14));
  return parts.join(' ').slice(0, maxChars);
}

const usernameOf = (i: number) =>
  i === 0 ? 'alice' : i === 1 ? 'bob' : `user${String(i).padStart(4, '0')}`;

export function generateSeedData(scale = 1, anchorMs = SEED_ANCHOR_MS): SeedData {
  if (!Number.isInteger(scale) || scale < 1)
    throw new RangeError('scale must be a whole number >= 1');
  const rng = prng(SEED + scale);
  const start = anchorMs - SPAN_MS;
  const userCount = BASE_COUNTS.users * scale;
  const postCount = BASE_COUNTS.posts * scale;

  const users: SeedUser[] = [];
  for (let i = 0; i < userCount; i++) {
    // Accounts exist before any content: created in the week before the span, in order.
    const createdAt = start - 7 * DAY_MS + Math.floor((i * 7 * DAY_MS) / userCount);
    const username = usernameOf(i);
    users.push({
      id: seededId(rng, createdAt),
      email: `${username}@example.com`,
      username,
      passwordHash: DEMO_PASSWORD_HASH,
      emailVerified: true,
      isAdmin: i === 0,
      createdAt,
    });
  }

  const images: SeedImage[] = [];
  const posts: SeedPost[] = [];
  const postsByUser = new Array<number>(userCount).fill(0);
  for (let i = 0; i < postCount; i++) {
    // Some people post far more than others: authors skew towards low indices.
    const author = Math.floor(userCount * rng.next() ** 2);
    const user = users[author] as SeedUser;
    const createdAt = start + rng.int(SPAN_MS);
    const id = seededId(rng, createdAt);
    let imageKey: string | null = null;
    if (i % IMAGE_EVERY === IMAGE_EVERY - 1) {
      const [width, height] = rng.pick(SIZES);
      imageKey = `seed/${id}.png`;
      images.push({
        key: imageKey,
        ownerId: user.id,
        contentType: 'image/png',
        size: Math.floor((width * height) / 8),
        width,
        height,
        createdAt,
      });
    }
    postsByUser[author] = (postsByUser[author] ?? 0) + 1;
    posts.push({
      id,
      userId: user.id,
      body: paragraph(rng, 600, 6),
      imageKey,
      likeCount: 0,
      createdAt,
    });
  }

  const likes = generateLikes(rng, users, posts, BASE_COUNTS.likes * scale, anchorMs, scale);

  const statuses: SeedStatus[] = [];
  for (let i = 0; i < BASE_COUNTS.statuses * scale; i++) {
    const createdAt = start + rng.int(SPAN_MS);
    statuses.push({
      id: seededId(rng, createdAt),
      // The same skew as posts: a few people post statuses far more often than the rest.
      userId: (users[Math.floor(userCount * rng.next() ** 2)] as SeedUser).id,
      content: paragraph(rng, 240, 2),
      createdAt,
    });
  }

  const profiles: SeedProfile[] = users.map((user, i) => ({
    userId: user.id,
    bio: rng.pick(BIOS),
    city: rng.pick(CITIES),
    postCount: postsByUser[i] ?? 0,
    updatedAt: user.createdAt,
  }));

  return { scale, users, profiles, images, posts, likes, statuses };
}

/**
 * A few popular posts liked by most users, the rest spread with a power-law skew; every
 * (post, user) pair at most once. Sets each post's likeCount to its number of likes.
 */
function generateLikes(
  rng: Rng,
  users: SeedUser[],
  posts: SeedPost[],
  total: number,
  anchorMs: number,
  scale: number,
): SeedLike[] {
  const taken = new Set<number>();
  const likes: SeedLike[] = [];
  const add = (postIndex: number, userIndex: number) => {
    const pairKey = postIndex * users.length + userIndex;
    if (taken.has(pairKey)) return false;
    taken.add(pairKey);
    const post = posts[postIndex] as SeedPost;
    post.likeCount++;
    likes.push({
      postId: post.id,
      userId: (users[userIndex] as SeedUser).id,
      createdAt: post.createdAt + 1 + rng.int(Math.max(1, anchorMs - post.createdAt - 1)),
    });
    return true;
  };
  // Popularity follows a shuffled order, so popular posts are not simply the oldest ones.
  const order = posts.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const popular = order.slice(0, POPULAR_POSTS_PER_SCALE * scale);
  for (const postIndex of popular) {
    for (let u = 0; u < users.length && likes.length < total; u++) {
      if (rng.next() < POPULAR_LIKE_SHARE) add(postIndex, u);
    }
  }
  while (likes.length < total) {
    const postIndex = order[Math.floor(order.length * rng.next() ** 2)] as number;
    add(postIndex, rng.int(users.length));
  }
  return likes;
}

/** The SQL to seed the BENCH.md data set at `scale` (what scripts/seed.ts runs). */
export function seedStatements(scale = 1, anchorMs = SEED_ANCHOR_MS): string[] {
  return statementsFor(generateSeedData(scale, anchorMs));
}
