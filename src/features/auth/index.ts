import { createRouter } from '../../lib/router';
import * as session from './auth.handlers';
import * as routes from './auth.routes';
import * as password from './password.handlers';

export const authRouter = createRouter()
  .openapi(routes.register, session.register)
  .openapi(routes.login, session.login)
  .openapi(routes.refresh, session.refresh)
  .openapi(routes.logout, session.logout)
  .openapi(routes.logoutEverywhere, session.logoutEverywhere)
  .openapi(routes.changePassword, password.changePassword)
  .openapi(routes.requestPasswordReset, password.requestPasswordReset)
  .openapi(routes.confirmPasswordReset, password.confirmPasswordReset)
  .openapi(routes.verifyEmail, password.verifyEmail)
  .openapi(routes.resendVerificationEmail, password.resendVerificationEmail);
