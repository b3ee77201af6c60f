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
