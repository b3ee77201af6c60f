import type { Context, ErrorHandler, MiddlewareHandler, Next } from 'hono';
import type { AppEnv } from '../env';

type Middleware = MiddlewareHandler<AppEnv>;

/** Runs `middleware` only for `path` and the paths under it (as Hono's `path/*` does). */
export const under =
  (path: string, middleware: Middleware): Middleware =>
  (c, next) =>
    c.req.path === path || c.req.path.startsWith(`${path}/`) ? middleware(c, next) : next();

/** Runs `middleware` only for exactly `path`. */
export const at =
  (path: string, middleware: Middleware): Middleware =>
  (c, next) =>
    c.req.path === path ? middleware(c, next) : next();

/** Runs `middleware` for every path but `path`. */
export const except =
  (path: string, middleware: Middleware): Middleware =>
  (c, next) =>
    c.req.path === path ? next() : middleware(c, next);

/**
 * The app-wide middleware as one entry of the router, run the way Hono runs a chain: in order,
 * and a middleware that throws gets the error handler's response in its place, so the ones
 * around it still see a response (and `c.error`). Registered one by one, each was a route the
 * router matched and set up on every request, a tenth of a read's CPU.
 */
export function pipeline(onError: ErrorHandler<AppEnv>, middleware: readonly Middleware[]) {
  return async (c: Context<AppEnv>, next: Next): Promise<void> => {
    const run = async (i: number): Promise<void> => {
      const current = middleware[i];
      if (!current) return next();
      let res: Response | undefined;
      try {
        res = (await current(c, () => run(i + 1))) ?? undefined;
      } catch (err) {
        if (!(err instanceof Error)) throw err;
        c.error = err;
        c.res = await onError(err, c);
        return;
      }
      if (res && !c.finalized) c.res = res;
    };
    await run(0);
  };
}
