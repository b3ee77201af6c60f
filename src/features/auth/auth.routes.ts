import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import {
  bearerSecurity,
  jsonBody,
  jsonContent,
  problemResponses,
  REFRESH_COOKIE_SCHEME,
} from '../../lib/openapi';
import { REFRESH_COOKIE_NAME, REFRESH_COOKIE_PATH } from '../../lib/refresh-cookie';
import {
  LoginBody,
  PasswordChangeBody,
  PasswordResetBody,
  PasswordResetConfirmBody,
  RegisterBody,
  RegisterResponse,
  TokenResponse,
  VerifyEmailBody,
} from './auth.schemas';

const refreshCookieSecurity = [{ [REFRESH_COOKIE_SCHEME]: [] }];
const COOKIE_ATTRIBUTES = `Path=${REFRESH_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`;

const setRefreshCookieHeader = {
  'Set-Cookie': {
    required: true,
    description: `The rotating refresh token: \`${REFRESH_COOKIE_NAME}\`, ${COOKIE_ATTRIBUTES}, Max-Age = REFRESH_TOKEN_TTL_SECONDS (14 days by default). Never in the body.`,
    schema: {
      type: 'string' as const,
      example: `${REFRESH_COOKIE_NAME}=kq3v1hV6nN0m7Zl2c4dB8yXy0e7wQ9rT5uI1oP3aS6f; Max-Age=1209600; ${COOKIE_ATTRIBUTES}`,
    },
  },
  'Cache-Control': {
    description: 'Token responses are never cached.',
    schema: { type: 'string' as const, example: 'private, no-store' },
  },
};

const clearRefreshCookieHeader = {
  'Set-Cookie': {
    required: true,
    description: `Clears \`${REFRESH_COOKIE_NAME}\` (Max-Age=0).`,
    schema: {
      type: 'string' as const,
      example: `${REFRESH_COOKIE_NAME}=; Max-Age=0; ${COOKIE_ATTRIBUTES}`,
    },
  },
};

const tokenExample = {
  access_token:
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMTkzOGYwZSJ9.3yPq0kzZJ7n5mQ8rCw2t0u1v',
  token_type: 'Bearer' as const,
  expires_in: 900,
};

const tokenResponse = (description: string, headers = setRefreshCookieHeader) => ({
  description,
  headers,
  content: { 'application/json': { schema: TokenResponse, example: tokenExample } },
});

// A replay inside the reuse grace window gets an access token only: no new refresh token.
const rotatedRefreshCookieHeader = {
  ...setRefreshCookieHeader,
  'Set-Cookie': {
    ...setRefreshCookieHeader['Set-Cookie'],
    required: false,
    description: `${setRefreshCookieHeader['Set-Cookie'].description} Absent when the request replayed a just-rotated token inside the grace window: that answer carries an access token only, and the cookie already in the browser (from the rotation) stays current.`,
  },
};

const refreshProblems = () => {
  const problems = problemResponses(401, 403);
  return {
    ...problems,
    401: {
      ...problems[401],
      description:
        'The refresh token is missing, unknown, expired, revoked, or was already used (which revokes its whole family). The cookie is cleared.',
      headers: clearRefreshCookieHeader,
    },
  };
};

export const register = createRoute({
  method: 'post',
  path: '/register',
  operationId: 'register',
  tags: ['Auth'],
  summary: 'Create an account',
  description:
    'Creates the user and its profile together, and emails a single-use verification token (valid 48 hours) through the jobs queue. Email and username are unique case-insensitively. Does not log in: call POST /auth/login next. Rate limited per IP.',
  security: [],
  request: { body: jsonBody(RegisterBody) },
  responses: {
    201: {
      ...jsonContent(RegisterResponse, 'The new account.'),
      content: {
        'application/json': {
          schema: RegisterResponse,
          example: {
            user: {
              id: '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11',
              email: 'ada@example.com',
              pending_email: null,
              username: 'ada_l',
              email_verified: false,
              is_admin: false,
              created_at: '2026-01-05T09:30:00.000Z',
              profile: {
                username: 'ada_l',
                bio: '',
                city: '',
                avatar_url: null,
                post_count: 0,
                created_at: '2026-01-05T09:30:00.000Z',
              },
            },
          },
        },
      },
    },
    ...problemResponses(409, 422, 429),
  },
});

export const login = createRoute({
  method: 'post',
  path: '/login',
  operationId: 'login',
  tags: ['Auth'],
  summary: 'Log in with email or username and password',
  description:
    'Answers with a short-lived access token and sets the refresh cookie, which starts a new session family. An unknown account, a wrong password and a deactivated account all get the same 401 (and cost the same hashing work). Rate limited per IP (IPv6 per /64) and per account: email and username of one account share one budget.',
  security: [],
  request: {
    body: jsonBody(LoginBody, 'Exactly one of `email` or `username`, and the password.', {
      email: {
        summary: 'With the email',
        value: { email: 'alice@example.com', password: 'ublog-demo-password' },
      },
      username: {
        summary: 'With the username',
        value: { username: 'alice', password: 'ublog-demo-password' },
      },
    }),
  },
  responses: {
    200: tokenResponse('Logged in. The refresh token is in the Set-Cookie header.'),
    ...problemResponses(401, 422, 429),
  },
});

export const refresh = createRoute({
  method: 'post',
  path: '/refresh',
  operationId: 'refreshToken',
  tags: ['Auth'],
  summary: 'Trade the refresh cookie for a new access token',
  description:
    'Every call rotates the refresh token: the answer sets a new cookie and the presented token is spent. A session family (one login and its rotations) also ends REFRESH_FAMILY_MAX_DAYS (90 by default) after the login, however often it rotates; each cookie lives no longer than its family. Presenting a spent token again revokes its whole family and every access token of the account, and answers 401 — except once, in a grace window of REFRESH_REUSE_GRACE_SECONDS (10 s by default) right after the rotation, so two tabs refreshing at the same instant both stay signed in: that replay gets an access token only, with no Set-Cookie (no new refresh token, so a replay cannot branch the family). A request whose Origin is present and not allowed is refused with 403, so another site cannot ride the cookie. An Authorization header is ignored here.',
  security: refreshCookieSecurity,
  responses: {
    200: tokenResponse(
      'A new access token, and a rotated refresh cookie (no cookie for a replay inside the grace window).',
      rotatedRefreshCookieHeader,
    ),
    ...refreshProblems(),
  },
});

export const logout = createRoute({
  method: 'post',
  path: '/logout',
  operationId: 'logout',
  tags: ['Auth'],
  summary: 'Log out this session family',
  description:
    "Revokes the refresh cookie's whole session family and clears the cookie. Idempotent: without a cookie, or with a spent one, it still answers 204. An Authorization header is ignored (a stale one does not stop the logout). Access tokens already issued stay valid until they expire (15 minutes by default); POST /auth/logout-all ends those too. Refused with 403 when the Origin is present and not allowed.",
  security: refreshCookieSecurity,
  responses: {
    204: { description: 'Logged out; the cookie is cleared.', headers: clearRefreshCookieHeader },
    ...problemResponses(403),
  },
});

export const logoutEverywhere = createRoute({
  method: 'post',
  path: '/logout-all',
  operationId: 'logoutEverywhere',
  tags: ['Auth'],
  summary: 'Log out everywhere',
  description:
    'Revokes every session family of the account (every device) and makes every access token issued so far fail at once, the one used for this call included, and clears the refresh cookie. The next login starts afresh. For a stolen device or a suspected leak; changing the password does the same for every other device.',
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  responses: {
    204: {
      description:
        'Every session and access token of the account is revoked; the cookie is cleared.',
      headers: clearRefreshCookieHeader,
    },
    ...problemResponses(401),
  },
});

export const changePassword = createRoute({
  method: 'post',
  path: '/password',
  operationId: 'changePassword',
  tags: ['Auth'],
  summary: 'Change the password',
  description:
    "Needs the current password. Revokes every other session family of the account; the caller's own family (from the refresh cookie, which this path receives) survives. Without the cookie every family is revoked. Every access token issued before, the caller's included, stops working at once: refresh (with the surviving cookie) or log in for a new one. A wrong current password is 403. Rate limited per account.",
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  request: { body: jsonBody(PasswordChangeBody) },
  responses: {
    204: { description: 'Changed.' },
    ...problemResponses(401, 403, 422, 429),
  },
});

export const requestPasswordReset = createRoute({
  method: 'post',
  path: '/password-reset',
  operationId: 'requestPasswordReset',
  tags: ['Auth'],
  summary: 'Email a password reset token',
  description:
    'Always answers 202, whether or not the address belongs to an account, so it cannot be used to find accounts. For an active account it emails a single-use token valid for 1 hour to the account address (earlier unused reset tokens stop working); a pending, unverified new address never gets one. Rate limited per IP (IPv6 per /64) and per address.',
  security: [],
  request: { body: jsonBody(PasswordResetBody) },
  responses: {
    202: { description: 'Accepted. An email is on its way if the address has an account.' },
    ...problemResponses(422, 429),
  },
});

export const confirmPasswordReset = createRoute({
  method: 'post',
  path: '/password-reset/confirm',
  operationId: 'confirmPasswordReset',
  tags: ['Auth'],
  summary: 'Set a new password with an emailed reset token',
  description:
    'The token works once and for 1 hour. Revokes every session (refresh token family) and every access token of the account at once. Does not log in. An unknown, used or expired token is a 422 on /body/token.',
  security: [],
  request: { body: jsonBody(PasswordResetConfirmBody) },
  responses: {
    204: { description: 'The password is changed and every session is revoked.' },
    ...problemResponses(422),
  },
});

export const verifyEmail = createRoute({
  method: 'post',
  path: '/verify-email',
  operationId: 'verifyEmail',
  tags: ['Auth'],
  summary: 'Confirm the email address with the emailed token',
  description:
    'Marks the address the token was mailed to verified: the account address (welcome email), or a pending new address from PATCH /users/me, which then becomes the account address. The token works once and for 48 hours, and is checked before anything changes. Verifying never logs anyone in. An unknown, used or expired token is a 422 on /body/token; 409 `email_taken` when another account took the pending address meanwhile. When REQUIRE_VERIFIED_EMAIL is on, unverified accounts may read but not write (403).',
  security: [],
  request: { body: jsonBody(VerifyEmailBody) },
  responses: {
    204: { description: 'The email address is verified.' },
    ...problemResponses(409, 422),
  },
});

export const resendVerificationEmail = createRoute({
  method: 'post',
  path: '/verify-email/resend',
  operationId: 'resendVerificationEmail',
  tags: ['Auth'],
  summary: 'Email a new verification token',
  description:
    'Queues a fresh 48-hour verification token: to the pending new address when there is one, else a new welcome email to the account address; earlier unused verification tokens stop working. 409 when the address is already verified and no change is pending. Rate limited per IP.',
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  responses: {
    202: { description: 'Accepted: the email is queued.' },
    ...problemResponses(401, 409, 429),
  },
});
