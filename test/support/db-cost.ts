import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { createApp } from '../../src/app';
import { assertMatchesContract } from './contract';
import { ORIGIN } from './http';

/**
 * What a request cost the database, from D1's own result metadata (what D1 bills).
 * `statements` counts every SQL statement, those inside a batch included; `calls` counts
 * round trips (a batch is one call); `batches` counts db.batch() calls.
 */
export interface DbCost {
  statements: number;
  calls: number;
  batches: number;
  rowsRead: number;
  rowsWritten: number;
  /** The most bound parameters any one statement had (D1's limit is 100). */
  maxParams: number;
  /** Each statement's SQL, in order; batch members are prefixed with "batch:". */
  log: string[];
}

const emptyCost = (): DbCost => ({
  statements: 0,
  calls: 0,
  batches: 0,
  rowsRead: 0,
  rowsWritten: 0,
  maxParams: 0,
  log: [],
});

interface Meta {
  rows_read?: number;
  rows_written?: number;
}

type AnyStatement = D1PreparedStatement;

/**
 * Wraps a D1 binding so every statement it runs is counted. It changes nothing about what
 * runs: each call goes to the real binding once. `raw()` and `first()` are served through
 * `all()`, the only single-statement method whose result carries `meta`; their rows are
 * rebuilt exactly as D1 itself does for row objects (column order of the object).
 */
export function countingD1(real: D1Database) {
  const cost = emptyCost();
  const unwrap = new WeakMap<object, AnyStatement>();
  const statementInfo = new WeakMap<object, { sql: string; params: unknown[] }>();

  const record = (sql: string, params: unknown[], meta: Meta | undefined, inBatch: boolean) => {
    cost.statements++;
    cost.rowsRead += meta?.rows_read ?? 0;
    cost.rowsWritten += meta?.rows_written ?? 0;
    cost.maxParams = Math.max(cost.maxParams, params.length);
    cost.log.push(`${inBatch ? 'batch:' : ''}${sql}`);
  };

  const wrapStatement = (stmt: AnyStatement, sql: string, params: unknown[]): AnyStatement => {
    const all = async () => {
      cost.calls++;
      const result = await stmt.all();
      record(sql, params, result.meta as Meta, false);
      return result;
    };
    const wrapped = {
      bind: (...values: unknown[]) => wrapStatement(stmt.bind(...values), sql, values),
      all,
      run: async () => {
        cost.calls++;
        const result = await stmt.run();
        record(sql, params, result.meta as Meta, false);
        return result;
      },
      first: async (column?: string) => {
        const row = (await all()).results[0] as Record<string, unknown> | undefined;
        if (row === undefined) return null;
        return column === undefined ? row : row[column];
      },
      raw: async (options?: { columnNames?: boolean }) => {
        const rows = (await all()).results as Record<string, unknown>[];
        const out: unknown[][] = rows.map((row) => Object.keys(row).map((k) => row[k]));
        if (options?.columnNames) out.unshift(rows[0] ? Object.keys(rows[0]) : []);
        return out;
      },
    } as unknown as AnyStatement;
    unwrap.set(wrapped, stmt);
    statementInfo.set(wrapped, { sql, params });
    return wrapped;
  };

  const wrapDatabase = <T extends D1Database | D1DatabaseSession>(db: T): T => {
    const batch = async (statements: AnyStatement[]) => {
      cost.calls++;
      cost.batches++;
      const results = await db.batch(statements.map((s) => unwrap.get(s) ?? s));
      results.forEach((result, i) => {
        const info = statementInfo.get(statements[i] as object);
        record(info?.sql ?? '?', info?.params ?? [], result.meta as Meta, true);
      });
      return results;
    };
    const base = {
      prepare: (sql: string) => wrapStatement(db.prepare(sql), sql, []),
      batch,
    };
    if ('withSession' in db) {
      const d1 = db as D1Database;
      return {
        ...base,
        withSession: (start?: string) => wrapDatabase(d1.withSession(start as never)),
        exec: async (sql: string) => {
          cost.calls++;
          const result = await d1.exec(sql);
          cost.statements += result.count;
          return result;
        },
        dump: () => d1.dump(),
      } as unknown as T;
    }
    const session = db as D1DatabaseSession;
    return { ...base, getBookmark: () => session.getBookmark() } as unknown as T;
  };

  return {
    db: wrapDatabase(real),
    cost,
    reset() {
      Object.assign(cost, emptyCost());
    },
  };
}

export interface Measured {
  status: number;
  headers: Headers;
  body: any;
  cost: DbCost;
}

/**
 * Sends one request through createApp() with a counting DB binding and returns what it cost.
 * The response is checked against the OpenAPI contract like every other test request.
 */
export async function measure(
  path: string,
  init: {
    method?: string;
    token?: string;
    json?: unknown;
    headers?: Record<string, string>;
    /** Extra or changed bindings, e.g. a setting such as REQUIRE_VERIFIED_EMAIL. */
    bindings?: Record<string, string>;
  } = {},
): Promise<Measured> {
  const counting = countingD1(env.DB);
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set('Content-Type', 'application/json');
  const url = `${ORIGIN}${path}`;
  const ctx = createExecutionContext();
  const res = await createApp().request(
    url,
    {
      method: init.method ?? 'GET',
      headers,
      body: init.json === undefined ? null : JSON.stringify(init.json),
    },
    { ...env, ...init.bindings, DB: counting.db },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  const body =
    text === ''
      ? undefined
      : (res.headers.get('Content-Type') ?? '').includes('json')
        ? JSON.parse(text)
        : text;
  assertMatchesContract(init.method ?? 'GET', url, res, body);
  return { status: res.status, headers: res.headers, body, cost: { ...counting.cost } };
}
