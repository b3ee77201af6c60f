import { exports } from 'cloudflare:workers';
import { uniqueIp } from '../support/auth';
import { assertMatchesContract } from '../support/contract';
import { parseBody } from '../support/http';
import { GIF_3X2, JPEG_3X2 } from '../support/images';
import type { Operation } from './operations';
import type { FuzzBody, FuzzRequest } from './request-arbitrary';
import type { FilePart } from './schema-arbitrary';
import type { Actors } from './seed';

const FILES: Record<FilePart['file'], Uint8Array> = {
  jpeg: JPEG_3X2,
  gif: GIF_3X2,
  svg: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
  empty: new Uint8Array(),
  garbage: Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256),
};

/** Requests sent so far, and the status of the last one. */
export const stats = { requests: 0, lastStatus: 0 };

async function encodeBody(body: FuzzBody | undefined, headers: Headers) {
  if (!body) return null;
  if (body.kind === 'json') return body.text;
  const form = new FormData();
  for (const [name, value] of Object.entries(body.fields)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new File([FILES[value.file]], `upload.${value.file}`));
  }
  // Serialised here so the multipart Content-Type (with its boundary) can be re-cased.
  const encoded = new Response(form);
  const type = encoded.headers.get('Content-Type') ?? '';
  headers.set(
    'Content-Type',
    body.headerCase === 'upper' ? type.replace('multipart/form-data', 'Multipart/Form-Data') : type,
  );
  return encoded.arrayBuffer();
}

/**
 * Sends one fuzzed request through the Worker's fetch handler and checks the answer; throws
 * the first Finding whose kind is not in `setAside` (those are known: later rules still run).
 */
export async function sendAndCheck(
  op: Operation,
  req: FuzzRequest,
  actors: Actors,
  setAside: ReadonlySet<string> = new Set(),
) {
  if (req.ifNoneMatchCurrent) {
    // First the same request without it, to learn the ETag the caller would hold.
    const first = await sendOnce(req, actors);
    checkResponse(op, req, first, setAside);
    const etag = first.sent.headers.get('ETag');
    if (etag) {
      const value = req.ifNoneMatchCurrent === 'weak' ? `W/${etag.replace(/^W\//, '')}` : etag;
      checkResponse(op, req, await sendOnce(req, actors, { 'if-none-match': value }), setAside);
      return;
    }
  }
  checkResponse(op, req, await sendOnce(req, actors), setAside);
}

async function sendOnce(req: FuzzRequest, actors: Actors, extra: Record<string, string> = {}) {
  const headers = new Headers({ ...req.headers, ...extra, 'CF-Connecting-IP': uniqueIp() });
  const authorization = actors.authorization(req.role);
  if (authorization) headers.set('Authorization', authorization);
  const url = new URL(req.path, 'http://localhost');
  for (const [name, value] of req.query) url.searchParams.append(name, value);
  const body = await encodeBody(req.body, headers);
  stats.requests++;
  // The Worker runs in this isolate: what it logs while answering is collected, to check below.
  const logs: string[] = [];
  const log = console.error;
  console.error = (...args: unknown[]) => {
    logs.push(args.map(String).join(' '));
    log(...args);
  };
  let res: Response;
  let bytes: ArrayBuffer;
  try {
    res = await exports.default.fetch(new Request(url, { method: req.method, headers, body }));
    bytes = await res.arrayBuffer();
  } finally {
    console.error = log;
  }
  stats.lastStatus = res.status;
  const text = new TextDecoder().decode(bytes);
  let parsed: unknown;
  try {
    parsed = parseBody(res, bytes);
  } catch {
    parsed = text;
  }
  return { res, parsed, logs, sent: { status: res.status, headers: res.headers, text } };
}

// Internals that must never reach a client: stack frames, source positions, SQL and driver errors.
const LEAKS = [
  /\n\s+at \S/,
  /\bat \S+ \([^)]*:\d+:\d+\)/,
  /\.(ts|js|mjs):\d+/,
  /SQLITE_|D1_ERROR|no such (table|column)|LIKE or GLOB|near "[^"]*": syntax error/i,
  /\b(select\s[\s\S]{1,80}\sfrom|insert into|delete from|update\s\S+\sset)\b/i,
];

/** A broken rule; `kind` tells findings apart (the rule and the status, not the values). */
export class Finding extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

// Values a client sent in the query or a JSON body; long enough not to appear by chance.
function sentValues(req: FuzzRequest): string[] {
  const strings = (v: unknown): string[] =>
    typeof v === 'string'
      ? [v]
      : v && typeof v === 'object'
        ? Object.values(v).flatMap(strings)
        : [];
  let body: unknown;
  try {
    body = req.body?.kind === 'json' ? JSON.parse(req.body.text) : undefined;
  } catch {
    body = undefined;
  }
  return [...req.query.map(([, value]) => value), ...strings(body)].filter((v) => v.length >= 12);
}

function finding(req: FuzzRequest, status: number, kind: string, detail = ''): Finding {
  return new Finding(
    `${status} ${kind}`,
    `${req.method} ${req.path} answered ${status}: ${kind}${detail}`,
  );
}

// The rule each contract-check message stands for.
const CONTRACT_RULES = [
  'does not declare',
  'does not match its schema',
  'fields its schema does not declare',
  'header is missing',
  'declares no body but sent one',
  'No declared route',
  'problem',
  'X-Request-Id',
];

function checkContract(req: FuzzRequest, res: Response, body: unknown): Finding | undefined {
  try {
    assertMatchesContract(req.method, new URL(req.path, 'http://localhost').href, res, body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const rule = CONTRACT_RULES.find((r) => message.includes(r)) ?? 'contract';
    return new Finding(`${res.status} contract: ${rule}`, message);
  }
}

function checkResponse(
  op: Operation,
  req: FuzzRequest,
  { res, parsed, logs, sent }: Awaited<ReturnType<typeof sendOnce>>,
  setAside: ReadonlySet<string>,
) {
  const { status, text } = sent;
  const report = (found: Finding | undefined) => {
    if (found && !setAside.has(found.kind)) throw found;
  };
  const fail = (kind: string, detail?: string) => report(finding(req, status, kind, detail));
  const excerpt = text.slice(0, 300);
  if (status >= 500) fail('a server error', `. ${excerpt}`);
  const logged = sentValues(req).find((value) => logs.some((line) => line.includes(value)));
  if (logged) {
    fail('a value from the request in the logs', ` (${logged.slice(0, 40)})`);
  }
  const echoed = JSON.stringify(req);
  for (const leak of LEAKS) {
    const found = text.match(leak)?.[0];
    if (found && !echoed.includes(found)) fail('internals in the body', ` (${found})`);
  }
  report(checkContract(req, res, parsed));
  const success = status >= 200 && status < 300;
  // (A multipart upload may be 415 for its file's bytes; a JSON body only for its media type.)
  if (req.media === 'declared' && req.body?.kind === 'json' && status === 415) {
    fail('refused a declared media type', ` (${req.headers['content-type']})`);
  }
  if (req.media === 'undeclared' && success) {
    fail('accepted an undeclared media type', ` (${req.headers['content-type']})`);
  }
  if (op.body?.required && !req.body && success) {
    fail('accepted a request without its required body');
  }
  const brokenParts = req.invalid.filter((part) => part === 'body' || part.startsWith('query.'));
  if (brokenParts.length > 0 && success) {
    fail(`accepted a request that breaks the schema in ${brokenParts[0]}`);
  }
  const ifMatch = req.headers['if-match'];
  // An empty If-Match is read as no header at all; any other value that is not "*" never matches.
  if (ifMatch && ifMatch !== '*' && success) {
    fail('an If-Match that is not the current ETag matched', ` (${ifMatch})`);
  }
}
