/**
 * Benchmark-only D1 metering, enabled by BENCH_METRICS=true (never set in a deployed config):
 * wraps the D1 binding so that a response can say what its request cost in D1's billing
 * units, as `Server-Timing: d1;desc="..."`. Without the flag nothing is wrapped.
 */

export interface D1Usage {
  /** Round trips: one per statement run on its own, one per batch. */
  queries: number;
  statements: number;
  batches: number;
  rowsRead: number;
  rowsWritten: number;
  /** Statements that wrote rows outside a batch (writes should land in one batch). */
  unbatchedWrites: number;
}

export const newD1Usage = (): D1Usage => ({
  queries: 0,
  statements: 0,
  batches: 0,
  rowsRead: 0,
  rowsWritten: 0,
  unbatchedWrites: 0,
});

export const d1ServerTiming = (u: D1Usage) =>
  `d1;desc="queries=${u.queries} statements=${u.statements} batches=${u.batches} rows_read=${u.rowsRead} rows_written=${u.rowsWritten} unbatched_writes=${u.unbatchedWrites}"`;

interface Meta {
  rows_read?: number;
  rows_written?: number;
}

function record(usage: D1Usage, meta: Meta | undefined, inBatch: boolean) {
  usage.statements += 1;
  usage.rowsRead += meta?.rows_read ?? 0;
  usage.rowsWritten += meta?.rows_written ?? 0;
  if (!inBatch) {
    usage.queries += 1;
    if ((meta?.rows_written ?? 0) > 0) usage.unbatchedWrites += 1;
  }
}

/** What D1's prepared statement keeps internally; raw() needs it (see MeteredStatement.raw). */
interface StatementInternals {
  statement: string;
  params: unknown[];
  dbSession?: {
    _sendOrThrow?: (...args: unknown[]) => Promise<unknown>;
  };
}

interface RowsAndColumns {
  meta?: Meta;
  results?: { columns: string[]; rows: unknown[][] } | Record<string, unknown>[];
}

const NO_SPAN = { setAttribute() {}, setAttributes() {} };

class MeteredStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly usage: D1Usage,
  ) {}

  bind(...values: unknown[]) {
    return new MeteredStatement(this.inner.bind(...values), this.usage);
  }

  async run() {
    const result = await this.inner.run();
    record(this.usage, result.meta, false);
    return result;
  }

  async all() {
    const result = await this.inner.all();
    record(this.usage, result.meta, false);
    return result;
  }

  async first(column?: string) {
    const { results } = await this.all();
    const row = results[0] as Record<string, unknown> | undefined;
    if (!row) return null;
    return column === undefined ? row : row[column];
  }

  // D1's raw() (what drizzle's selects use) drops the result metadata, so this asks the
  // statement's session for rows and columns itself, the way raw() does inside workerd.
  async raw(options?: { columnNames?: boolean }) {
    const internals = this.inner as unknown as StatementInternals;
    const send = internals.dbSession?._sendOrThrow;
    if (typeof send !== 'function') {
      throw new Error('BENCH_METRICS: this runtime does not expose D1 metadata for raw()');
    }
    const answer = (await send.call(
      internals.dbSession,
      '/query',
      internals.statement,
      internals.params,
      'ROWS_AND_COLUMNS',
      NO_SPAN,
    )) as RowsAndColumns | RowsAndColumns[];
    const result = Array.isArray(answer) ? answer[0] : answer;
    record(this.usage, result?.meta, false);
    const results = result?.results;
    if (!results) return [];
    if (Array.isArray(results)) {
      const rows = results.map((row) => Object.values(row));
      return options?.columnNames ? [Object.keys(results[0] ?? {}), ...rows] : rows;
    }
    return options?.columnNames ? [results.columns, ...results.rows] : results.rows;
  }
}

const unwrap = (s: unknown) =>
  s instanceof MeteredStatement ? s.inner : (s as D1PreparedStatement);

/** A D1 binding (or session) that counts every statement's metadata into `usage`. */
export function meteredD1<T extends D1Database | D1DatabaseSession>(d1: T, usage: D1Usage): T {
  return new Proxy(d1, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (sql: string) => new MeteredStatement(target.prepare(sql), usage);
      }
      if (prop === 'batch') {
        return async (statements: unknown[]) => {
          const results = await target.batch(statements.map(unwrap));
          usage.queries += 1;
          usage.batches += 1;
          for (const r of results) record(usage, r.meta, true);
          return results;
        };
      }
      if (prop === 'withSession' && 'withSession' in target) {
        return (...args: Parameters<D1Database['withSession']>) =>
          meteredD1(target.withSession(...args), usage);
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
