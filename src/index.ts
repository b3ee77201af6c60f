import { createApp } from './app';
import type { Bindings } from './env';
import { withoutBoundValues } from './lib/log';

const rethrowWithoutBoundValues = (err: unknown): never => {
  throw withoutBoundValues(err);
};

const app = createApp();

export default {
  fetch: app.fetch,
  // What these throw is logged by the platform: never with a failed query's bound values.
  // Queue and cron isolates load their code on their first event; HTTP cold starts skip it.
  queue: async (batch, env, _ctx) => {
    const { handleQueue } = await import('./jobs');
    return handleQueue(batch, env).catch(rethrowWithoutBoundValues);
  },
  // Awaited, not waitUntil: a failing task then shows as a failed cron run on the platform.
  scheduled: async (controller, env, _ctx) => {
    const { handleScheduled } = await import('./cron');
    return handleScheduled(controller, env).catch(rethrowWithoutBoundValues);
  },
} satisfies ExportedHandler<Bindings, unknown>;
