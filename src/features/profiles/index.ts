import { createRouter } from '../../lib/router';
import { avatarRouter } from './avatar.handlers';
import * as handlers from './profiles.handlers';
import * as routes from './profiles.routes';

// Avatar upload routes (avatar.*.ts in this folder) are registered next to these.
export const profilesRouter = createRouter()
  .openapi(routes.listProfiles, handlers.listProfiles)
  // Before /{username}, which would otherwise take "me" (never a username: 3 characters minimum).
  .openapi(routes.getMyProfile, handlers.getMyProfile)
  .openapi(routes.getProfile, handlers.getProfile)
  .openapi(routes.updateMyProfile, handlers.updateMyProfile)
  .route('/', avatarRouter);
