import fc from 'fast-check';
import { type OpenApiDocument, type Operation, type Parameter, resolveRef } from './operations';
import {
  type FilePart,
  invalidValue,
  type JsonSchema,
  validValue,
  type WalkContext,
} from './schema-arbitrary';

export type Role = 'anonymous' | 'user' | 'admin' | 'stale_token';

/** How the request's Content-Type relates to the media types the operation declares. */
export type MediaKind = 'declared' | 'undeclared' | 'none';

export type FuzzBody =
  | { kind: 'json'; text: string }
  | { kind: 'form'; fields: Record<string, string | FilePart>; headerCase?: 'upper' };

/** One generated request, plain data so fast-check prints and shrinks it. */
export interface FuzzRequest {
  role: Role;
  method: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  /** Send If-None-Match with the ETag this same request answers without it (read first). */
  ifNoneMatchCurrent?: 'strong' | 'weak';
  body?: FuzzBody;
  media: MediaKind;
  /** The parts drawn from `invalidValue`, e.g. ["query.limit"]: the request breaks the schema. */
  invalid: string[];
}

/** Real values from the seeded data set, so requests get past 404s. */
export interface Pools {
  postIds: string[];
  statusIds: string[];
  userIds: string[];
  failedJobIds: string[];
  imageKeys: string[];
  usernames: string[];
  emails: string[];
  prefixes: string[];
  passwords: string[];
  /** A real next_cursor per list path. */
  cursors: Record<string, string[]>;
}

// Conditional header values that are not a list of entity tags (RFC 9110 §8.8.3), and some that are.
export const MALFORMED_ETAGS = ['W/', 'not-quoted', '"unterminated', 'null', '', 'W/"', '""x'];
const OTHER_ETAGS = ['*', '"0"', 'W/"0"', '"a", "b"', '"a",W/"b"'];

const JSON_TYPE_VARIANTS = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json ; charset=utf-8',
  'application/json;charset=UTF-8',
  'Application/JSON',
  'application/json;\tcharset="utf-8"',
];
const UNDECLARED_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/vnd.api+json',
  'text/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/jsonp',
];
const MALFORMED_JSON = ['{', '{"a":', '[1,]', 'nul', '\u0000', '{"body": "\ud800"}'];

const UNKNOWN_QUERY = ['foo', 'LIMIT', 'q[]', 'utm_source', 'sort', 'page', '__proto__'];
// Integers on the wire that are not a plain decimal number.
const NOT_DECIMAL = ['1e2', '0x10', ' 7', '+5', '٣', '1_0', 'Infinity', 'NaN', '', '9'.repeat(25)];
const BAD_SEGMENTS = ['%', ' ', 'a/b', 'ü', '%00', "1' or '1'='1", 'x'.repeat(65), '-1', '0'];
const RANGES = ['bytes=0-1', 'bytes=5-', 'bytes=-3', 'bytes=abc', 'bytes=10-1', 'bytes=0-1,3-4'];

/** Header values must be ASCII text for the Headers API; other characters are dropped. */
const headerSafe = (v: unknown) =>
  (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')).replace(/[^\x20-\x7e\t]/g, '');

const onWire = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

const weighted = <T>(...pairs: [number, fc.Arbitrary<T>][]) =>
  fc.oneof(...pairs.map(([weight, arbitrary]) => ({ weight, arbitrary })));

interface Drawn {
  value: unknown;
  invalid: boolean;
}

const valid = (arb: fc.Arbitrary<unknown>) =>
  arb.map<Drawn>((value) => ({ value, invalid: false }));
const invalid = (arb: fc.Arbitrary<unknown>) =>
  arb.map<Drawn>((value) => ({ value, invalid: true }));

export function knownValues(pools: Pools, op: Operation) {
  return (name: string): readonly string[] => {
    switch (name) {
      case 'username':
      case 'author':
      case 'liked_by':
        return pools.usernames;
      case 'email':
        return pools.emails;
      case 'q':
        return pools.prefixes;
      case 'password':
      case 'current_password':
        return pools.passwords;
      case 'cursor':
        return pools.cursors[op.path] ?? [];
      case 'key':
        return pools.imageKeys;
      case 'id':
        if (op.path.startsWith('/api/v1/posts')) return pools.postIds;
        if (op.path.startsWith('/api/v1/statuses')) return pools.statusIds;
        if (op.path.startsWith('/api/v1/admin/users')) return pools.userIds;
        if (op.path.startsWith('/api/v1/admin/jobs')) return pools.failedJobIds;
        return [];
      default:
        return [];
    }
  };
}

function parameterArbitrary(p: Parameter, ctx: WalkContext): fc.Arbitrary<Drawn | undefined> {
  const invalids = [
    invalidValue(p.schema, ctx, true),
    p.schema.type === 'integer' ? fc.constantFrom(...NOT_DECIMAL) : undefined,
  ].filter((arb) => arb !== undefined);
  // Absent first, so shrinking drops the optional parameters a counterexample does not need.
  const options: [number, fc.Arbitrary<Drawn | undefined>][] = p.required
    ? []
    : [[4, fc.constant(undefined)]];
  const known = ctx.known(p.name);
  if (p.name === 'cursor') {
    // A made-up cursor is a 400 before anything else is looked at: mostly send none or a real one.
    options.push([8, fc.constant(undefined)]);
    if (known.length > 0) options.push([3, valid(fc.constantFrom(...known))]);
  }
  // A path id that names something gets past the 404 to the code behind it.
  if (p.in === 'path' && known.length > 0) options.push([6, valid(fc.constantFrom(...known))]);
  options.push([6, valid(validValue(p.schema, ctx, p.name))]);
  if (invalids.length > 0) options.push([2, invalid(fc.oneof(...invalids))]);
  if (p.in === 'path') {
    // Ids of the right shape that name nothing, and odd but mostly schema-valid segments:
    // they must be a 404 or 422, never a crash.
    options.push([1, valid(fc.uuid({ version: 7 }))], [1, valid(fc.constantFrom(...BAD_SEGMENTS))]);
  }
  return weighted(...options);
}

function conditionalHeaders(op: Operation) {
  const names = new Set(op.parameters.filter((p) => p.in === 'header').map((p) => p.name));
  const parts: Record<string, fc.Arbitrary<string | undefined>> = {};
  // A read is often conditional; a write rarely, since any If-Match here is a 412.
  const sometimes = (values: string[], absentWeight: number) =>
    weighted<string | undefined>(
      [absentWeight, fc.constant(undefined)],
      [1, fc.constantFrom(...values)],
    );
  const etags = [...MALFORMED_ETAGS, ...OTHER_ETAGS];
  if (op.method === 'GET') parts['if-none-match'] = sometimes(etags, 1);
  if (names.has('if-match')) parts['if-match'] = sometimes(etags, 3);
  if (names.has('range')) parts.range = sometimes(RANGES, 2);
  return fc.record(parts);
}

function jsonBody(schema: JsonSchema, ctx: WalkContext) {
  const bad = invalidValue(schema, ctx) ?? fc.constant(null);
  return weighted<{ text: string; invalid: boolean }>(
    [5, validValue(schema, ctx).map((v) => ({ text: JSON.stringify(v), invalid: false }))],
    [3, bad.map((v) => ({ text: JSON.stringify(v) ?? '', invalid: true }))],
    [1, fc.constantFrom(...MALFORMED_JSON).map((text) => ({ text, invalid: true }))],
  );
}

function formFields(schema: JsonSchema, ctx: WalkContext) {
  const toFields = (v: unknown) =>
    Object.fromEntries(
      Object.entries(v && typeof v === 'object' && !Array.isArray(v) ? v : { value: v }).map(
        ([k, f]) => [k, f && typeof f === 'object' && 'file' in f ? (f as FilePart) : onWire(f)],
      ),
    );
  return weighted(
    [4, validValue(schema, ctx).map((v) => ({ fields: toFields(v), invalid: false }))],
    [
      2,
      (invalidValue(schema, ctx, true) ?? fc.constant(null)).map((v) => ({
        fields: toFields(v),
        invalid: true,
      })),
    ],
    [
      1,
      fc
        .constantFrom<FilePart['file']>('svg', 'empty', 'garbage')
        .map((file) => ({ fields: { file: { file }, image: { file } }, invalid: true })),
    ],
  );
}

type BodyPart = Pick<FuzzRequest, 'body' | 'media'> & {
  contentType?: string;
  invalid: boolean;
};

function bodyArbitrary(op: Operation, ctx: WalkContext): fc.Arbitrary<BodyPart> {
  const none = fc.constant<BodyPart>({ media: 'none', invalid: false });
  if (op.method === 'GET') return none;
  if (!op.body) {
    // Now and then a body the operation does not take.
    return weighted<BodyPart>(
      [9, none],
      [1, fc.constant({ media: 'none', body: { kind: 'json', text: '{}' }, invalid: false })],
    );
  }
  const options: [number, fc.Arbitrary<BodyPart>][] = [
    [3, none.map((b) => ({ ...b, invalid: op.body?.required === true }))],
  ];
  for (const [type, schema] of Object.entries(op.body.content)) {
    if (type === 'application/json') {
      const json = jsonBody(schema, ctx);
      options.push(
        [
          8,
          fc.tuple(fc.constantFrom(...JSON_TYPE_VARIANTS), json).map(([contentType, b]) => ({
            contentType,
            media: 'declared',
            body: { kind: 'json', text: b.text },
            invalid: b.invalid,
          })),
        ],
        [
          2,
          fc.tuple(fc.constantFrom(...UNDECLARED_TYPES), json).map(([contentType, b]) => ({
            contentType,
            media: 'undeclared',
            body: { kind: 'json', text: b.text },
            invalid: true,
          })),
        ],
        [
          1,
          json.map((b) => ({
            media: 'none',
            body: { kind: 'json', text: b.text },
            invalid: true,
          })),
        ],
      );
    } else if (type === 'multipart/form-data') {
      options.push([
        6,
        fc.tuple(formFields(schema, ctx), fc.boolean()).map(([f, upper]) => ({
          media: 'declared',
          body: { kind: 'form', fields: f.fields, ...(upper ? { headerCase: 'upper' } : {}) },
          invalid: f.invalid,
        })),
      ]);
    }
  }
  return weighted(...options);
}

function roleArbitrary(op: Operation): fc.Arbitrary<Role> {
  return weighted<Role>(
    [2, fc.constant('anonymous')],
    [op.bearer ? 5 : 2, fc.constant('user')],
    [op.path.includes('/admin') ? 8 : 3, fc.constant('admin')],
    [1, fc.constant('stale_token')],
  );
}

function cookieHeaders(op: Operation) {
  if (!op.cookie) return fc.constant({});
  return fc.record(
    {
      cookie: fc.constantFrom('__Secure-ublog_refresh=forged', '__Secure-ublog_refresh=', 'x=y'),
      origin: fc.constantFrom('https://evil.example', 'http://localhost', 'null'),
    },
    { requiredKeys: [] },
  );
}

/** Every request the generator can make for `op`: valid and invalid in each part. */
export function requestArbitrary(
  doc: OpenApiDocument,
  op: Operation,
  pools: Pools,
): fc.Arbitrary<FuzzRequest> {
  const ctx: WalkContext = {
    resolve: (s) => resolveRef<JsonSchema>(doc, s),
    known: knownValues(pools, op),
  };
  const params = op.parameters.filter(
    (p) => p.in !== 'cookie' && !['if-match', 'if-none-match', 'range'].includes(p.name),
  );
  const drawnParams = fc.record(
    Object.fromEntries(params.map((p) => [`${p.in}.${p.name}`, parameterArbitrary(p, ctx)])),
  );
  const unknownQuery = fc.array(
    fc.tuple(fc.constantFrom(...UNKNOWN_QUERY), fc.constantFrom('1', '', 'x', 'a'.repeat(300))),
    { maxLength: 2 },
  );
  return fc
    .record({
      role: roleArbitrary(op),
      drawn: drawnParams,
      unknownQuery: fc.option(unknownQuery, { freq: 3 }),
      conditional: conditionalHeaders(op),
      ifNoneMatchCurrent:
        op.method === 'GET'
          ? weighted(
              [6, fc.constant(undefined)],
              [2, fc.constant<'strong'>('strong')],
              [1, fc.constant<'weak'>('weak')],
            )
          : fc.constant(undefined),
      cookies: cookieHeaders(op),
      body: bodyArbitrary(op, ctx),
    })
    .map(({ role, drawn, unknownQuery, conditional, ifNoneMatchCurrent, cookies, body }) => {
      let path = op.path;
      const query: [string, string][] = [];
      const headers: Record<string, string> = {};
      const invalidParts: string[] = [];
      for (const [slot, d] of Object.entries(drawn)) {
        if (!d) continue;
        const [where, name] = slot.split('.') as [Parameter['in'], string];
        if (d.invalid) invalidParts.push(slot);
        if (where === 'path') {
          // An empty segment is another route (or none): that is routing, not this operation.
          path = path.replace(`{${name}}`, encodeURIComponent(onWire(d.value)) || '-');
        } else if (where === 'query') query.push([name, onWire(d.value)]);
        else if (where === 'header') headers[name] = headerSafe(d.value);
      }
      for (const [name, value] of Object.entries(conditional)) {
        if (value !== undefined) headers[name] = value;
      }
      Object.assign(headers, cookies);
      if (body.contentType) headers['content-type'] = body.contentType;
      if (body.invalid) invalidParts.push('body');
      return {
        role,
        method: op.method,
        path,
        query: [...query, ...(unknownQuery ?? [])],
        headers,
        ...(ifNoneMatchCurrent && !headers['if-none-match'] ? { ifNoneMatchCurrent } : {}),
        ...(body.body ? { body: body.body } : {}),
        media: body.media,
        invalid: invalidParts,
      };
    });
}
