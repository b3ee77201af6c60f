import { createRouter } from '../../lib/router';

// Routes are registered in this feature's *.routes.ts / *.handlers.ts.
export const profilesRouter = createRouter();
