import { createRouter } from '../../lib/router';
import { avatarRouter } from './avatar.handlers';
import * as handlers from './profiles.handlers';
import * as routes from './profiles.routes';

// Avatar upload routes (avatar.*.ts in this folder) are registered next to these.
export const profilesRouter = createRouter()
  .openapi(routes.listProfiles, handlers.listProfiles)
  .openapi(routes.getProfile, handlers.getProfile)
  .openapi(routes.updateMyProfile, handlers.updateMyProfile)
  .route('/', avatarRouter);
