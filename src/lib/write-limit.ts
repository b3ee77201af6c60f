import { createMiddleware } from 'hono/factory';
import type { AppEnv, Bindings } from '../env';
import { currentUser } from './auth';
import { enforceRateLimit } from './rate-limit';

/**
 * Counts a write (post, status, like, upload) against the signed-in user's budget in
 * WRITE_LIMITER (wrangler.toml); over it, 429 with Retry-After. Mount after requireWriter.
 */
export const limitWrites = createMiddleware<AppEnv>(async (c, next) => {
  await countWrite(c.env, currentUser(c).userId);
  await next();
});

/** One write by `userId` against WRITE_LIMITER (REST middleware and GraphQL mutations). */
export const countWrite = (env: Pick<Bindings, 'WRITE_LIMITER'>, userId: string) =>
  enforceRateLimit(env.WRITE_LIMITER, `write:user:${userId}`);
