import { Column, is, Param, Placeholder, SQL } from 'drizzle-orm';
import type { Database } from './client';

/** A select as drizzle builds it (before it runs): its SQL, and how it runs with values. */
interface SelectBuilder<Row> {
  toSQL(): { sql: string; params: unknown[] };
  all(values: Record<string, unknown>): Promise<Row[]>;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

interface Compiled {
  text: string;
  bind: ((values: Record<string, unknown>) => unknown)[];
  keys: string[];
  decoders: Decoder[];
}

/** drizzle's own rule for a selected field's decoder (a column, sql`…`, or sql`…`.as()). */
function decoderOf(field: unknown): Decoder {
  if (is(field, Column)) return field;
  // drizzle keeps an sql`…` field's decoder (its mapWith) on an internal property.
  const expression = is(field, SQL) ? field : (field as SQL.Aliased).sql;
  return (expression as unknown as { decoder: Decoder }).decoder;
}

/** A parameter's value: a placeholder's (through its column's encoder), or the constant. */
function binderOf(param: unknown): (values: Record<string, unknown>) => unknown {
  if (is(param, Placeholder)) return (values) => values[param.name];
  if (is(param, Param) && is(param.value, Placeholder)) {
    const { name } = param.value;
    const { encoder } = param;
    return (values) => encoder.mapToDriverValue(values[name]);
  }
  return () => param;
}

function compile(builder: SelectBuilder<unknown>): Compiled {
  // The selection as given to select() (drizzle keeps it there; flat objects only).
  const fields = (builder as unknown as { config: { fields: Record<string, unknown> } }).config
    .fields;
  const { sql: text, params } = builder.toSQL();
  return {
    text,
    bind: params.map(binderOf),
    keys: Object.keys(fields),
    decoders: Object.values(fields).map(decoderOf),
  };
}

interface D1Client {
  prepare(query: string): D1PreparedStatement;
}

const onD1 = (client: unknown): client is D1Client =>
  typeof (client as Partial<D1Client> | undefined)?.prepare === 'function';

/**
 * A read that runs on most requests, with drizzle's work done once per isolate: `build` makes
 * the select (with sql.placeholder() for every value) for one shape of the query; its SQL
 * text, parameter order and column decoders are kept, and each call binds `values` to a
 * statement of the request's own D1 session and decodes the rows by position. Building the
 * query and matching each value to its decoder were a tenth of a read's CPU. On libSQL the
 * select runs through drizzle as usual. The selection must be a flat object of columns and
 * sql`…` fields.
 */
export function preparedSelect<Shape extends string, Row>(
  build: (db: Database, shape: Shape) => SelectBuilder<Row>,
) {
  const compiled = new Map<Shape, Compiled>();
  return async (db: Database, shape: Shape, values: Record<string, unknown>): Promise<Row[]> => {
    const client = (db as { $client?: unknown }).$client;
    if (!onD1(client)) return build(db, shape).all(values);
    let query = compiled.get(shape);
    if (!query) {
      query = compile(build(db, shape));
      compiled.set(shape, query);
    }
    const { text, bind, keys, decoders } = query;
    const rows = await client
      .prepare(text)
      .bind(...bind.map((value) => value(values)))
      .raw();
    return rows.map((row) => {
      const decoded: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const value = row[i];
        // biome-ignore lint/style/noNonNullAssertion: keys and decoders have the same length
        decoded[keys[i]!] = value === null ? null : decoders[i]!.mapFromDriverValue(value);
      }
      return decoded as Row;
    });
  };
}
