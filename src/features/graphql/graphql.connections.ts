import type { z } from '@hono/zod-openapi';
import { IdParamsSchema } from '../../lib/openapi';
import {
  decodeCursor,
  encodeCursor,
  type Keyset,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
} from '../../lib/pagination';
import { ApiError } from '../../lib/problem';
import { checkField } from '../../lib/request-validation';
import type { GraphQLContext } from './graphql.context';
import { invalidArgument } from './graphql.errors';

/** Checks one argument with the REST rule for the same field; the parsed value. */
export function checkArgument<T extends z.ZodType>(
  schema: T,
  field: string,
  value: unknown,
): z.output<T> {
  const checked = checkField(schema, field, value);
  if (!checked.success) throw invalidArgument(field, checked.message);
  return checked.data;
}

/** An id argument: what REST accepts in `/{id}`. */
export const checkId = (value: string, field = 'id') =>
  checkArgument(IdParamsSchema.shape.id, field, value);

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** `first` as REST's `limit` (1..100, 20 when left out). */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? PAGE_LIMIT_DEFAULT;
  if (!Number.isInteger(size) || size < 1 || size > PAGE_LIMIT_MAX) {
    throw invalidArgument('first', `first must be a whole number from 1 to ${PAGE_LIMIT_MAX}`);
  }
  return size;
}

/** Opens `after` for `scope` (REST's cursor rules); an invalid one is REST's invalid_cursor. */
export async function readAfter(
  ctx: GraphQLContext,
  scope: string,
  after: string | null | undefined,
): Promise<Keyset | null> {
  if (after === null || after === undefined) return null;
  try {
    return await decodeCursor(ctx.config.JWT_SECRET, scope, after);
  } catch (err) {
    if (err instanceof ApiError) throw invalidArgument('after', `after: ${err.message}`, err.code);
    throw err;
  }
}

/**
 * A Relay connection over `limit + 1` fetched rows: the extra row only proves that more
 * follow. Cursors are signed only when a client asks for them.
 */
export function toConnection<Row>(
  ctx: GraphQLContext,
  scope: string,
  rows: Row[],
  limit: number,
  positionOf: (row: Row) => Keyset,
) {
  const nodes = rows.slice(0, limit);
  const cursorOf = (row: Row) => encodeCursor(ctx.config.JWT_SECRET, scope, positionOf(row));
  const last = nodes.at(-1);
  return {
    nodes,
    edges: nodes.map((node) => ({ node, cursor: () => cursorOf(node) })),
    pageInfo: {
      hasNextPage: rows.length > limit,
      endCursor: () => (last === undefined ? null : cursorOf(last)),
    },
  };
}

/** One page of a keyset list for GraphQL: the same scope, cursor and limit rules as REST. */
export async function connection<Row>(
  ctx: GraphQLContext,
  args: PageArgs,
  options: {
    scope: string;
    fetch: (position: Keyset | null, limit: number) => Promise<Row[]>;
    positionOf: (row: Row) => Keyset;
  },
) {
  const limit = pageSize(args.first);
  const position = await readAfter(ctx, options.scope, args.after);
  const rows = await options.fetch(position, limit);
  return toConnection(ctx, options.scope, rows, limit, options.positionOf);
}
