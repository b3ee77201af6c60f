import { exports } from 'cloudflare:workers';
import { assertMatchesContract } from './contract';

export const ORIGIN = 'http://localhost';

export interface CallInit extends Omit<RequestInit, 'body' | 'headers'> {
  json?: unknown;
  body?: BodyInit | null;
  token?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  res: Response;
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Sends a request through the Worker's own fetch handler (the same entry point production
 * uses), parses the body, and checks the response against the OpenAPI contract.
 */
export async function call<T = any>(path: string, init: CallInit = {}): Promise<CallResult<T>> {
  const { json, token, headers = {}, ...rest } = init;
  const h = new Headers(headers);
  if (json !== undefined) h.set('Content-Type', 'application/json');
  if (token) h.set('Authorization', `Bearer ${token}`);
  const url = path.startsWith('http') ? path : `${ORIGIN}${path}`;
  const req = new Request(url, {
    ...rest,
    headers: h,
    body: json !== undefined ? JSON.stringify(json) : (rest.body ?? null),
  });
  const res = await exports.default.fetch(req);
  const body = await readBody(res);
  assertMatchesContract(req.method, url, res, body);
  return { res, status: res.status, headers: res.headers, body: body as T };
}

/** The body as the contract check expects it: parsed JSON, text, bytes, or undefined for none. */
export async function readBody(res: Response): Promise<unknown> {
  return parseBody(res, await res.arrayBuffer());
}

/** Like readBody, for a body already read as bytes. */
export function parseBody(res: Response, bytes: ArrayBuffer): unknown {
  const ct = res.headers.get('Content-Type') ?? '';
  const text = () => new TextDecoder().decode(bytes);
  if (res.status === 204 || res.status === 304) return bytes.byteLength === 0 ? undefined : text();
  if (ct.includes('json')) return JSON.parse(text());
  if (ct.startsWith('text/')) return text();
  // An empty body without a type (e.g. a 202) is no body at all.
  return bytes.byteLength === 0 && ct === '' ? undefined : bytes;
}

export const get = <T = any>(path: string, init: CallInit = {}) =>
  call<T>(path, { ...init, method: 'GET' });
export const post = <T = any>(path: string, json?: unknown, init: CallInit = {}) =>
  call<T>(path, { ...init, method: 'POST', ...(json !== undefined ? { json } : {}) });
export const patch = <T = any>(path: string, json?: unknown, init: CallInit = {}) =>
  call<T>(path, { ...init, method: 'PATCH', ...(json !== undefined ? { json } : {}) });
export const put = <T = any>(path: string, json?: unknown, init: CallInit = {}) =>
  call<T>(path, { ...init, method: 'PUT', ...(json !== undefined ? { json } : {}) });
export const del = <T = any>(path: string, init: CallInit = {}) =>
  call<T>(path, { ...init, method: 'DELETE' });
