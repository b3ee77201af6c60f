import { createRouter } from '../../lib/router';
import * as handlers from './statuses.handlers';
import * as routes from './statuses.routes';

export const statusesRouter = createRouter()
  .openapi(routes.listStatuses, handlers.listStatuses)
  .openapi(routes.createStatus, handlers.createStatus)
  .openapi(routes.getStatus, handlers.getStatus)
  .openapi(routes.updateStatus, handlers.updateStatus)
  .openapi(routes.deleteStatus, handlers.deleteStatus);
