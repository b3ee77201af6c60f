import { createApp } from './app';
import { handleScheduled } from './cron';
import type { Bindings } from './env';
import { handleQueue } from './jobs';
import { withoutBoundValues } from './lib/log';

const rethrowWithoutBoundValues = (err: unknown): never => {
  throw withoutBoundValues(err);
};

const app = createApp();

export default {
  fetch: app.fetch,
  // What these throw is logged by the platform: never with a failed query's bound values.
  queue: (batch, env, _ctx) => handleQueue(batch, env).catch(rethrowWithoutBoundValues),
  // Awaited, not waitUntil: a failing task then shows as a failed cron run on the platform.
  scheduled: (controller, env, _ctx) =>
    handleScheduled(controller, env).catch(rethrowWithoutBoundValues),
} satisfies ExportedHandler<Bindings, unknown>;
