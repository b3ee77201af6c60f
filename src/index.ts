import { createApp } from './app';
import { handleScheduled } from './cron';
import type { Bindings } from './env';
import { handleQueue } from './jobs';

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env, _ctx) => handleQueue(batch, env),
  // Awaited, not waitUntil: a failing task then shows as a failed cron run on the platform.
  scheduled: (controller, env, _ctx) => handleScheduled(controller, env),
} satisfies ExportedHandler<Bindings, unknown>;
