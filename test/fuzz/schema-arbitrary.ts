import fc from 'fast-check';

/**
 * A small JSON-Schema-to-arbitrary walker for the subset the OpenAPI document uses (objects,
 * strings with length/pattern/format/enum, integers with bounds, booleans, arrays, $ref).
 * `validValue` draws values the schema accepts; `invalidValue` draws values it refuses, one
 * violation at a time, so a shrunk counterexample names a single broken rule.
 */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface WalkContext {
  /** Follows a local `$ref` (`#/components/...`) to its schema. */
  resolve(schema: JsonSchema): JsonSchema;
  /** Real values for a field or parameter of this name (seeded usernames, ids, passwords). */
  known(name: string): readonly string[];
}

/** A file part for multipart bodies, made into bytes when the request is sent. */
export interface FilePart {
  file: 'jpeg' | 'gif' | 'svg' | 'empty' | 'garbage';
}

// Strings past this length add nothing but time; longer maxima are probed at the bound.
const RANDOM_LENGTH_CAP = 40;
// One-byte, two-byte, three-byte and four-byte (two UTF-16 units) characters.
const FILLERS = ['a', 'é', '日', '😀'] as const;
// Characters that count as empty or confuse naive parsers.
const AWKWARD = ['', ' ', '\u200b', '\u0000', '%', "'", '"', '\\', '../', '%2F', '\n'] as const;

const typeOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type[0] : s.type);

/** Any JSON value that is not of the schema's type. */
function wrongType(s: JsonSchema): fc.Arbitrary<unknown> {
  const all: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.constantFrom('7', 'true', 'x'),
    integer: fc.constantFrom(0, -1, 1.5, 2 ** 53),
    boolean: fc.boolean(),
    null: fc.constant(null),
    array: fc.constantFrom([], ['x']),
    object: fc.constantFrom({}, { x: 1 }),
  };
  const type = typeOf(s);
  const others = Object.entries(all)
    .filter(([t]) => t !== type && !(type === 'integer' && t === 'number'))
    .map(([, arb]) => arb);
  return fc.oneof(...others);
}

function knownOr(ctx: WalkContext, name: string, arb: fc.Arbitrary<unknown>) {
  const known = ctx.known(name);
  return known.length > 0
    ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 1 }, { arbitrary: arb, weight: 2 })
    : arb;
}

function validString(s: JsonSchema, name: string, ctx: WalkContext): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.format === 'binary') {
    return fc.constantFrom<FilePart>({ file: 'jpeg' }, { file: 'gif' });
  }
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? RANDOM_LENGTH_CAP;
  const fits = (v: string) => [...v].length >= min && [...v].length <= max;
  let arb: fc.Arbitrary<string>;
  if (s.pattern) {
    arb = fc.stringMatching(new RegExp(s.pattern)).filter(fits);
  } else if (s.format === 'email') {
    arb = fc.emailAddress().filter(fits);
  } else if (s.format === 'date-time') {
    arb = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  } else {
    const randomMax = Math.max(min, Math.min(max, RANDOM_LENGTH_CAP));
    arb = fc.oneof(
      {
        weight: 2,
        arbitrary: fc.string({ minLength: min, maxLength: randomMax, unit: 'grapheme' }),
      },
      { weight: 2, arbitrary: fc.string({ minLength: min, maxLength: randomMax }) },
      // Lengths up to the documented maximum in one- and multi-byte characters. fast-check's
      // integers favour both bounds, and shrink toward the shortest length that still fails.
      {
        weight: 5,
        arbitrary: fc
          .tuple(fc.constantFrom(...FILLERS), fc.integer({ min: Math.max(min, 1), max }))
          .map(([c, n]) => c.repeat(n)),
      },
    );
    // Filter constant lists up front: a filter no value passes would retry forever.
    const awkward = AWKWARD.filter(fits);
    if (awkward.length > 0) {
      arb = fc.oneof(
        { weight: 9, arbitrary: arb },
        { weight: 1, arbitrary: fc.constantFrom(...awkward) },
      );
    }
  }
  return knownOr(ctx, name, arb);
}

function invalidString(s: JsonSchema, textual: boolean): fc.Arbitrary<unknown> | undefined {
  // On the wire (query, path, headers) every value is text, so only text can be invalid there.
  const options: fc.Arbitrary<unknown>[] = textual ? [] : [wrongType(s)];
  if (s.maxLength !== undefined) {
    const max = s.maxLength;
    options.push(
      fc
        .tuple(fc.constantFrom(...FILLERS), fc.integer({ min: max + 1, max: max + 20 }))
        .map(([c, n]) => c.repeat(n)),
    );
  }
  if (s.minLength) options.push(fc.constant('a'.repeat(s.minLength - 1)));
  if (s.enum) options.push(fc.constantFrom('x', String(s.enum[0]).toUpperCase(), ''));
  if (s.pattern) {
    const re = new RegExp(s.pattern);
    const breaking = ['a b', 'ab', 'x'.repeat(31), '日本語', "'; drop table users;--", ...AWKWARD];
    options.push(fc.constantFrom(...breaking.filter((v) => !re.test(v))));
  }
  if (s.format === 'email') options.push(fc.constantFrom('not-an-email', '@', 'a@', 'a@b@c'));
  if (s.format === 'date-time') {
    options.push(fc.constantFrom('yesterday', '2026-13-45T00:00:00Z', '1700000000', ''));
  }
  return options.length > 0 ? fc.oneof(...options) : undefined;
}

function validInteger(s: JsonSchema): fc.Arbitrary<unknown> {
  const min = s.minimum ?? -1000;
  const max = s.maximum ?? 1000;
  return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
}

function invalidInteger(s: JsonSchema, textual: boolean): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [
    textual ? fc.constantFrom('x', 'true') : wrongType(s),
    fc.constantFrom(1.5, -0.5),
  ];
  if (s.minimum !== undefined) options.push(fc.constant(s.minimum - 1));
  if (s.maximum !== undefined) options.push(fc.constant(s.maximum + 1));
  return fc.oneof(...options);
}

function validObject(s: JsonSchema, ctx: WalkContext): fc.Arbitrary<unknown> {
  const properties = s.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(properties).map(([key, p]) => [key, validValue(p, ctx, key)]),
  );
  return fc.record(model, { requiredKeys: s.required ?? [] });
}

// Fields a client might try to set that no request schema accepts.
const UNKNOWN_FIELDS = ['id', 'is_admin', 'created_at', 'user_id', '__proto__', 'constructor'];

function invalidObject(s: JsonSchema, ctx: WalkContext, textual: boolean): fc.Arbitrary<unknown> {
  const properties = Object.entries(s.properties ?? {});
  const valid = validObject(s, ctx) as fc.Arbitrary<Record<string, unknown>>;
  const options: fc.Arbitrary<unknown>[] = [fc.constantFrom<unknown>([], 'text', 0, null, true)];
  if (s.additionalProperties === false) {
    options.push(
      fc
        .tuple(valid, fc.constantFrom(...UNKNOWN_FIELDS), fc.jsonValue({ maxDepth: 1 }))
        .map(([v, key, value]) => {
          const out = { ...v };
          Object.defineProperty(out, key, { value, enumerable: true });
          return out;
        }),
    );
  }
  for (const [key, p] of properties) {
    const bad = invalidValue(p, ctx, textual);
    if (bad) options.push(fc.tuple(valid, bad).map(([v, b]) => ({ ...v, [key]: b }) as unknown));
  }
  for (const key of s.required ?? []) {
    options.push(
      valid.map((v) => Object.fromEntries(Object.entries(v).filter(([k]) => k !== key))),
    );
  }
  return fc.oneof(...options);
}

/** Values the schema accepts (mixing in real values known for `name`). */
export function validValue(schema: JsonSchema, ctx: WalkContext, name = ''): fc.Arbitrary<unknown> {
  const s = ctx.resolve(schema);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => validValue(a, ctx, name)));
  switch (typeOf(s)) {
    case 'object':
      return validObject(s, ctx);
    case 'string':
      return validString(s, name, ctx);
    case 'integer':
    case 'number':
      return validInteger(s);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(s.items ?? {}, ctx, name), { maxLength: 3 });
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * Values the schema refuses: the wrong type, out of bounds, a broken pattern, a bad field.
 * `textual` is for values sent as text (query, path, headers, form fields), where a wrong
 * JSON type cannot exist; undefined when no invalid value exists.
 */
export function invalidValue(
  schema: JsonSchema,
  ctx: WalkContext,
  textual = false,
): fc.Arbitrary<unknown> | undefined {
  const s = ctx.resolve(schema);
  switch (typeOf(s)) {
    case 'object':
      return invalidObject(s, ctx, textual);
    case 'string':
      return invalidString(s, textual);
    case 'integer':
    case 'number':
      return invalidInteger(s, textual);
    case 'boolean':
      return wrongType(s);
    case 'array':
      return fc.constantFrom<unknown>('x', {}, null);
    default:
      return undefined;
  }
}
