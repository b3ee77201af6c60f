import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { newId } from './ids';

// Echo a client's id only when it is short and plain, so it is safe to log and to reflect.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header('X-Request-Id');
  const id = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : newId();
  c.set('requestId', id);
  await next();
  c.res.headers.set('X-Request-Id', id);
});
