import { describe, expect, it } from 'vitest';
import { createRouter, RecompilingRouter } from '../../src/lib/router';

const handlersOf = (router: RecompilingRouter<string>, method: string, path: string) =>
  router.match(method, path)[0].map(([handler]) => handler);

describe('RecompilingRouter', () => {
  it('takes routes after it has matched, keeping the order they were added in', () => {
    const router = new RecompilingRouter<string>();
    router.add('ALL', '*', 'middleware');
    router.add('GET', '/a', 'a');
    expect(handlersOf(router, 'GET', '/a')).toEqual(['middleware', 'a']);
    expect(handlersOf(router, 'GET', '/b/1')).toEqual(['middleware']);
    router.add('GET', '/b/:id', 'b');
    router.add('ALL', '/b/*', 'late middleware');
    expect(handlersOf(router, 'GET', '/b/1')).toEqual(['middleware', 'b', 'late middleware']);
    expect(handlersOf(router, 'GET', '/a')).toEqual(['middleware', 'a']);
  });

  it('gives path parameters', async () => {
    const app = createRouter({ addsRoutesLater: true });
    app.get('/first', (c) => c.text('first'));
    expect(await (await app.request('/first')).text()).toBe('first');
    app.get('/posts/:id/likes/:user', (c) => c.text(`${c.req.param('id')} ${c.req.param('user')}`));
    expect(await (await app.request('/posts/p1/likes/u2')).text()).toBe('p1 u2');
    expect((await app.request('/nothing')).status).toBe(404);
  });
});
