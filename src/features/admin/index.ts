import { requireAdmin } from '../../lib/auth';
import { createRouter } from '../../lib/router';
import * as handlers from './admin.handlers';
import * as routes from './admin.routes';

export const adminRouter = createRouter();

// Once for the whole prefix, ahead of every route: a route added below cannot be left open,
// and a path that matches no route answers 401/403 too, so it reveals nothing to others.
adminRouter.use('*', requireAdmin);

adminRouter
  .openapi(routes.listUsers, handlers.listUsers)
  .openapi(routes.updateUser, handlers.updateUser)
  .openapi(routes.listRequestLogs, handlers.listRequestLogs)
  .openapi(routes.getStats, handlers.getStats)
  .openapi(routes.listFailedJobs, handlers.listFailedJobs)
  .openapi(routes.retryFailedJob, handlers.retryFailedJob)
  .openapi(routes.listJobRuns, handlers.listJobRuns);
