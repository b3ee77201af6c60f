/**
 * Problem examples as each operation really answers: its own path as `instance`, and the `code`
 * it returns for each status (the operation's own where a handler picks it; else the code the
 * route's example already carries, e.g. the router's 413/415/422; else the shared code for the
 * status). Applied to the generated document.
 */

// What lib/openapi.ts puts in an example whose code it does not know.
const PLACEHOLDER_CODE = 'example';

type Operation = {
  operationId?: string;
  security?: Record<string, unknown>[];
  requestBody?: unknown;
  parameters?: { in: string; name: string; example?: unknown; schema?: { example?: unknown } }[];
  responses?: Record<string, { content?: Record<string, { example?: Record<string, unknown> }> }>;
};

/** The codes handlers choose, by operation and status. */
const OPERATION_CODES: Record<string, Partial<Record<number, string>>> = {
  register: { 409: 'email_taken' },
  login: { 401: 'invalid_credentials' },
  refreshToken: { 401: 'invalid_refresh_token' },
  changePassword: { 403: 'wrong_password' },
  resendVerificationEmail: { 409: 'email_already_verified' },
  updateMe: { 409: 'username_taken' },
  getMyProfile: { 404: 'profile_not_found' },
  updateMyProfile: { 404: 'profile_not_found' },
  getProfile: { 404: 'profile_not_found' },
  putMyAvatar: { 404: 'profile_not_found', 409: 'avatar_changed' },
  deleteMyAvatar: { 404: 'profile_not_found', 409: 'avatar_changed' },
  getStatus: { 404: 'status_not_found' },
  updateStatus: { 403: 'not_owner', 404: 'status_not_found' },
  deleteStatus: { 403: 'not_owner', 404: 'status_not_found' },
  getPost: { 404: 'post_not_found' },
  updatePost: { 403: 'not_owner', 404: 'post_not_found' },
  deletePost: { 403: 'not_owner', 404: 'post_not_found' },
  likePost: { 404: 'post_not_found' },
  unlikePost: { 404: 'post_not_found' },
  listPostLikes: { 404: 'post_not_found' },
  getImage: { 404: 'image_not_found' },
  adminUpdateUser: { 404: 'user_not_found' },
  adminRetryFailedJob: { 404: 'failed_job_not_found' },
};

const isCookieAuth = (op: Operation) =>
  op.security?.some((entry) => 'refreshCookie' in entry) ?? false;
const requiresBearer = (op: Operation) =>
  (op.security?.length ?? 0) > 0 && op.security?.every((entry) => 'bearerAuth' in entry);

/** The code shared code answers with for this status on this operation (router codes aside). */
function sharedCode(path: string, op: Operation, status: number): string {
  switch (status) {
    case 400:
      return op.requestBody ? 'malformed_body' : 'invalid_cursor';
    case 401:
      // Where a token is optional or ignored, a 401 means the one sent was refused.
      return requiresBearer(op) ? 'unauthenticated' : 'invalid_token';
    case 403:
      if (path.includes('/admin/')) return 'admin_only';
      return isCookieAuth(op) ? 'origin_not_allowed' : 'email_not_verified';
    case 409:
      return 'idempotency_key_in_flight';
    case 412:
      return 'etag_mismatch';
    default:
      return 'internal_error';
  }
}

/** The path with each `{param}` replaced by the parameter's example. */
function examplePath(path: string, op: Operation): string {
  return path.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const param = op.parameters?.find((p) => p.in === 'path' && p.name === name);
    const example = param?.example ?? param?.schema?.example;
    return example === undefined ? whole : encodeURIComponent(String(example));
  });
}

export function withOperationProblemExamples<T extends { paths?: Record<string, unknown> }>(
  generated: T,
): T {
  // A copy: the generated document may share objects with the route definitions.
  const document = structuredClone(generated);
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const op of Object.values(item as Record<string, Operation>)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const media = response.content?.['application/problem+json'];
        if (!media?.example) continue;
        media.example = {
          ...media.example,
          instance: examplePath(path, op),
          code:
            OPERATION_CODES[op.operationId ?? '']?.[Number(status)] ??
            (media.example.code === PLACEHOLDER_CODE
              ? sharedCode(path, op, Number(status))
              : media.example.code),
        };
      }
    }
  }
  return document;
}
