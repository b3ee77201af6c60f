import type { Handler } from 'hono';
import type { AppEnv } from '../env';

/**
 * A static file (public/), from the assets binding. wrangler.toml routes the pages' asset paths
 * to the Worker first (`run_worker_first`), so these answers carry X-Request-Id and the security
 * headers like every other response. Copied into a new Response: a fetched response's headers
 * cannot be changed.
 */
export const serveStaticAsset: Handler<AppEnv> = async (c) => {
  const asset = await c.env.ASSETS.fetch(c.req.raw);
  return new Response(asset.body, asset);
};
