import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Client,
  createClient,
  type InValue,
  LibsqlError,
  type Transaction,
} from '@libsql/client';

/**
 * A small Hrana-over-HTTP (v2, JSON) server over a libSQL database file, on 127.0.0.1: the
 * protocol Turso and sqld speak and that @libsql/client/web (the Worker's client) uses. It
 * lets the Node tests run the Worker's own libSQL path (src/db/client.ts openDatabase with
 * LIBSQL_URL) end to end. Errors carry only the primary SQLite code, like the HTTP protocol,
 * so constraint recognition is exercised on what a remote database really returns.
 * Only what the client uses is implemented: execute, batch (with conditions), sequence,
 * store_sql/close_sql (the client's per-stream SQL cache) and close.
 */

type HranaValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };

interface HranaStmt {
  sql?: string;
  sql_id?: number;
  args?: HranaValue[];
  named_args?: { name: string; value: HranaValue }[];
  want_rows?: boolean;
}

type HranaCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: HranaCond }
  | { type: 'and' | 'or'; conds: HranaCond[] };

interface HranaRequest {
  type: string;
  stmt?: HranaStmt;
  batch?: { steps: { condition?: HranaCond; stmt: HranaStmt }[] };
  sql?: string;
  sql_id?: number;
}

const fromValue = (v: HranaValue): InValue => {
  switch (v.type) {
    case 'null':
      return null;
    case 'integer':
      return BigInt(v.value);
    case 'float':
      return v.value;
    case 'text':
      return v.value;
    case 'blob':
      return Buffer.from(v.base64, 'base64');
  }
};

const toValue = (v: unknown): HranaValue => {
  if (v === null || v === undefined) return { type: 'null' };
  if (typeof v === 'bigint') return { type: 'integer', value: v.toString() };
  if (typeof v === 'number') return { type: 'float', value: v };
  if (typeof v === 'string') return { type: 'text', value: v };
  if (v instanceof ArrayBuffer) return { type: 'blob', base64: Buffer.from(v).toString('base64') };
  throw new Error(`unexpected value ${String(v)}`);
};

// SQLite's own wording, without the client's "CODE: " prefix; the code without its extension.
const toError = (err: unknown) =>
  err instanceof LibsqlError
    ? { message: err.message.replace(/^(SQLITE_[A-Z_]+: )+/, ''), code: err.code }
    : { message: err instanceof Error ? err.message : String(err), code: 'UNKNOWN' };

export interface HranaServer {
  url: string;
  authToken: string;
  close(): Promise<void>;
}

export async function startHranaServer(file: string): Promise<HranaServer> {
  // bigint mode keeps integer and real apart, as a real server does.
  const db: Client = createClient({ url: `file:${file}`, intMode: 'bigint' });
  const authToken = randomUUID();
  // One connection: pipelines run one at a time, so a batch's BEGIN..COMMIT is never interleaved.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>) => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  let tx: Transaction | undefined;
  // Stored SQL texts of the stream being served (a stream continues under its baton).
  let stored = new Map<number, string>();
  const streams = new Map<string, Map<number, string>>();
  const done = { cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null };
  const execute = async (stmt: HranaStmt) => {
    const text = stmt.sql ?? (stmt.sql_id === undefined ? undefined : stored.get(stmt.sql_id));
    if (text === undefined) throw new LibsqlError('no SQL text and no stored SQL', 'SQL_NOT_FOUND');
    const sql = text.trim();
    if (/^BEGIN\b/i.test(sql)) {
      tx = await db.transaction(/IMMEDIATE|EXCLUSIVE/i.test(sql) ? 'write' : 'deferred');
      return done;
    }
    if (/^(COMMIT|END|ROLLBACK)\b/i.test(sql)) {
      if (!tx) throw new LibsqlError('cannot commit - no transaction is active', 'SQLITE_ERROR');
      const open = tx;
      tx = undefined;
      await (/^ROLLBACK/i.test(sql) ? open.rollback() : open.commit());
      return done;
    }
    const named = stmt.named_args?.length
      ? Object.fromEntries(stmt.named_args.map((a) => [a.name, fromValue(a.value)]))
      : undefined;
    const rs = await (tx ?? db).execute({ sql, args: named ?? (stmt.args ?? []).map(fromValue) });
    return {
      cols: rs.columns.map((name, i) => ({ name, decltype: rs.columnTypes[i] || null })),
      rows: stmt.want_rows === false ? [] : rs.rows.map((row) => Array.from(row, toValue)),
      affected_row_count: rs.rowsAffected,
      last_insert_rowid: rs.lastInsertRowid === undefined ? null : rs.lastInsertRowid.toString(),
    };
  };

  const runBatch = async (steps: { condition?: HranaCond; stmt: HranaStmt }[]) => {
    const results: (Awaited<ReturnType<typeof execute>> | null)[] = [];
    const errors: (ReturnType<typeof toError> | null)[] = [];
    const holds = (c: HranaCond): boolean => {
      switch (c.type) {
        case 'ok':
          return results[c.step] != null;
        case 'error':
          return errors[c.step] != null;
        case 'not':
          return !holds(c.cond);
        case 'and':
          return c.conds.every(holds);
        case 'or':
          return c.conds.some(holds);
      }
    };
    for (const step of steps) {
      results.push(null);
      errors.push(null);
      if (step.condition && !holds(step.condition)) continue;
      try {
        results[results.length - 1] = await execute(step.stmt);
      } catch (err) {
        errors[errors.length - 1] = toError(err);
      }
    }
    return { step_results: results, step_errors: errors };
  };

  const handle = async (req: HranaRequest) => {
    try {
      switch (req.type) {
        case 'execute':
          return {
            type: 'ok',
            response: { type: 'execute', result: await execute(req.stmt ?? {}) },
          };
        case 'batch':
          return {
            type: 'ok',
            response: { type: 'batch', result: await runBatch(req.batch?.steps ?? []) },
          };
        case 'sequence':
          await db.executeMultiple(req.sql ?? '');
          return { type: 'ok', response: { type: 'sequence' } };
        case 'store_sql':
          stored.set(req.sql_id ?? -1, req.sql ?? '');
          return { type: 'ok', response: { type: 'store_sql' } };
        case 'close_sql':
          stored.delete(req.sql_id ?? -1);
          return { type: 'ok', response: { type: 'close_sql' } };
        case 'close':
          return { type: 'ok', response: { type: 'close' } };
        default:
          return {
            type: 'error',
            error: { message: `unsupported request ${req.type}`, code: 'UNSUPPORTED' },
          };
      }
    } catch (err) {
      return { type: 'error', error: toError(err) };
    }
  };

  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      baton?: string | null;
      requests: HranaRequest[];
    };
  };

  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${authToken}`)
      return reply(401, { error: 'unauthorized' });
    if (req.method !== 'POST' || req.url !== '/v2/pipeline')
      return reply(404, { error: 'not found' });
    readBody(req)
      .then((body) =>
        serialized(async () => {
          stored = (body.baton && streams.get(body.baton)) || new Map();
          if (body.baton) streams.delete(body.baton);
          const results = [];
          for (const r of body.requests) results.push(await handle(r));
          // No interactive transactions across requests: whatever a pipeline left open is undone.
          if (tx) {
            await tx.rollback();
            tx = undefined;
          }
          const closed = body.requests.at(-1)?.type === 'close';
          const baton = closed ? null : randomUUID();
          if (baton) streams.set(baton, stored);
          return { baton, base_url: null, results };
        }),
      )
      .then(
        (out) => reply(200, out),
        (err) => reply(400, { error: String(err) }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authToken,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        db.close();
      }),
  };
}
