import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface FieldError {
  /** JSON Pointer into the request: /body/email, /query/limit, /params/id, /headers/if-match */
  path: string;
  message: string;
}

export interface ProblemInit {
  status: ContentfulStatusCode;
  /** Stable, machine-readable reason, e.g. "username_taken". */
  code: string;
  detail: string;
  title?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const statusTitle = (status: number) => TITLES[status] ?? 'Error';

/**
 * The one error type handlers throw. The app's error handler renders it as RFC 9457
 * application/problem+json; anything else thrown becomes a bare 500.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly title: string;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;

  constructor(init: ProblemInit) {
    super(init.detail);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? statusTitle(init.status);
    this.errors = init.errors;
    this.headers = init.headers ?? {};
  }
}

const make =
  (status: ContentfulStatusCode, defaultCode: string) =>
  (detail: string, code = defaultCode, extra: Partial<ProblemInit> = {}) =>
    new ApiError({ status, code, detail, ...extra });

export const badRequest = make(400, 'bad_request');
export const unauthorized = (detail = 'Authentication is required.', code = 'unauthenticated') =>
  new ApiError({
    status: 401,
    code,
    detail,
    headers: { 'WWW-Authenticate': 'Bearer realm="ublog"' },
  });
export const invalidToken = (detail = 'The access token is invalid or has expired.') =>
  new ApiError({
    status: 401,
    code: 'invalid_token',
    detail,
    headers: { 'WWW-Authenticate': 'Bearer realm="ublog", error="invalid_token"' },
  });
export const forbidden = make(403, 'forbidden');
export const notFound = make(404, 'not_found');
/** 405 with the `Allow` header listing the methods the path does serve. */
export const methodNotAllowed = (allowed: string[], detail: string) =>
  new ApiError({
    status: 405,
    code: 'method_not_allowed',
    detail,
    headers: { Allow: allowed.join(', ') },
  });
export const conflict = make(409, 'conflict');
export const preconditionFailed = make(412, 'precondition_failed');
export const payloadTooLarge = make(413, 'payload_too_large');
export const unsupportedMediaType = make(415, 'unsupported_media_type');
export const unprocessable = make(422, 'validation_failed');
export const tooManyRequests = (retryAfterSeconds: number, detail = 'Too many requests.') =>
  new ApiError({
    status: 429,
    code: 'rate_limited',
    detail,
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  request_id: string;
  code: string;
  errors?: FieldError[];
}

export function problemBody(err: ApiError, instance: string, requestId: string): ProblemBody {
  return {
    // about:blank: the status and `code` carry the meaning (RFC 9457 section 4.2.1).
    type: 'about:blank',
    title: err.title,
    status: err.status,
    detail: err.message,
    instance,
    request_id: requestId,
    code: err.code,
    ...(err.errors ? { errors: err.errors } : {}),
  };
}

/** Escapes one JSON Pointer reference token (RFC 6901). */
export const pointerToken = (token: string | number) =>
  String(token).replaceAll('~', '~0').replaceAll('/', '~1');

export const jsonPointer = (segments: ReadonlyArray<string | number>) =>
  segments.length === 0 ? '' : `/${segments.map(pointerToken).join('/')}`;
