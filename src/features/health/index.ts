import { createMiddleware } from 'hono/factory';
import { type AppEnv, ConfigError, readConfig } from '../../env';
import { createRouter } from '../../lib/router';
import { pingDatabase } from './health.queries';
import { getHealth } from './health.routes';

export const healthRouter = createRouter().openapi(getHealth, async (c) => {
  const databaseUp = await pingDatabase(c.get('db'));
  c.header('Cache-Control', 'no-store');
  return databaseUp
    ? c.json({ status: 'ok' as const, database: 'ok' as const }, 200)
    : c.json({ status: 'degraded' as const, database: 'error' as const }, 503);
});

/**
 * Runs before the middleware that needs the settings: with a bad setting every other route is a
 * plain 500, but /health answers 503 naming each bad setting, so a deployment shows what to fix.
 */
export const healthWhenMisconfigured = createMiddleware<AppEnv>(async (c, next) => {
  try {
    readConfig(c.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'misconfigured' as const, invalid_settings: err.problems }, 503);
  }
  return next();
});
