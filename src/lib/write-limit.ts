import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { currentUser } from './auth';
import { enforceRateLimit } from './rate-limit';

/**
 * Counts a write (post, status, like, upload) against the signed-in user's budget in
 * WRITE_LIMITER (wrangler.toml); over it, 429 with Retry-After. Mount after requireWriter.
 */
export const limitWrites = createMiddleware<AppEnv>(async (c, next) => {
  await enforceRateLimit(c.env.WRITE_LIMITER, `write:user:${currentUser(c).userId}`);
  await next();
});
