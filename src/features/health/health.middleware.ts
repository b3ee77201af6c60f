import { createMiddleware } from 'hono/factory';
import { type AppEnv, ConfigError, readConfig } from '../../env';

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
