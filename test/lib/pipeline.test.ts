import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/env';
import { at, except, pipeline, under } from '../../src/lib/pipeline';

const onError = (err: Error) => new Response(`handled: ${err.message}`, { status: 418 });

function appWith(middleware: Parameters<typeof pipeline>[1]) {
  const app = new Hono<AppEnv>({ strict: false });
  app.use('*', pipeline(onError, middleware));
  app.get('/api/v1/things', (c) => c.text('things'));
  app.get('/boom', () => {
    throw new Error('route');
  });
  app.onError(onError);
  return app;
}

describe('pipeline', () => {
  it('runs middleware in order around the route, each seeing the response', async () => {
    const seen: string[] = [];
    const app = appWith([
      async (c, next) => {
        seen.push('outer in');
        await next();
        seen.push(`outer out ${c.res.status}`);
        c.res.headers.set('X-Outer', '1');
      },
      async (_c, next) => {
        seen.push('inner in');
        await next();
        seen.push('inner out');
      },
    ]);
    const res = await app.request('/api/v1/things');
    expect(await res.text()).toBe('things');
    expect(res.headers.get('X-Outer')).toBe('1');
    expect(seen).toEqual(['outer in', 'inner in', 'inner out', 'outer out 200']);
  });

  it("gives the middleware around a throwing one the error handler's response and c.error", async () => {
    let outerSaw: { status: number; error: string | undefined } | undefined;
    const app = appWith([
      async (c, next) => {
        await next();
        outerSaw = { status: c.res.status, error: c.error?.message };
      },
      () => {
        throw new Error('middleware');
      },
    ]);
    const res = await app.request('/api/v1/things');
    expect(res.status).toBe(418);
    expect(await res.text()).toBe('handled: middleware');
    expect(outerSaw).toEqual({ status: 418, error: 'middleware' });
  });

  it("sees a route's error as the error handler's response, as Hono's own chain does", async () => {
    let outerSaw: number | undefined;
    const app = appWith([
      async (c, next) => {
        await next();
        outerSaw = c.res.status;
      },
    ]);
    const res = await app.request('/boom');
    expect(res.status).toBe(418);
    expect(outerSaw).toBe(418);
  });

  it('lets a middleware answer without going on', async () => {
    const app = appWith([async (c) => c.text('short-circuit', 202)]);
    const res = await app.request('/api/v1/things');
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('short-circuit');
  });

  it('limits middleware by path: under, at and except', async () => {
    const mark =
      (name: string): Parameters<typeof pipeline>[1][number] =>
      async (c, next) => {
        await next();
        c.res.headers.append('X-Ran', name);
      };
    const app = appWith([
      under('/api/v1', mark('under')),
      at('/api/v1/things', mark('at')),
      except('/api/v1/things', mark('except')),
    ]);
    const ran = async (path: string) => (await app.request(path)).headers.get('X-Ran');
    expect(await ran('/api/v1/things')).toBe('at, under');
    expect(await ran('/api/v1/things/')).toBe('at, under');
    expect(await ran('/api/v1x')).toBe('except');
    expect(await ran('/api/v1')).toBe('except, under');
  });
});
