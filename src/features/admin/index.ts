import { createRouter } from '../../lib/router';
import * as handlers from './admin.handlers';
import * as routes from './admin.routes';

export const adminRouter = createRouter()
  .openapi(routes.listUsers, handlers.listUsers)
  .openapi(routes.updateUser, handlers.updateUser)
  .openapi(routes.listRequestLogs, handlers.listRequestLogs)
  .openapi(routes.getStats, handlers.getStats)
  .openapi(routes.listFailedJobs, handlers.listFailedJobs)
  .openapi(routes.retryFailedJob, handlers.retryFailedJob)
  .openapi(routes.listJobRuns, handlers.listJobRuns);
