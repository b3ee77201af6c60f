import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { PAGE_LIMIT_DEFAULT } from '../../lib/pagination';
import { requestError } from './graphql.errors';

/** The public endpoint's limits (GRAPHQL.md, "Limits"); each refusal has its own code. */
export const GRAPHQL_LIMITS = {
  /** Nested field levels: `{ posts { nodes { id } } }` is 3. */
  depth: 10,
  /** Aliased fields, counted wherever fragments put them. */
  aliases: 30,
  /** Rows a query can ask for: each field counts 1, a connection `first` times its children. */
  cost: 5000,
  /** Lexical tokens of the document, fragments included. */
  tokens: 5000,
} as const;

/** Fields whose `first` multiplies what their selection costs. */
const CONNECTION_FIELDS = new Set(['posts', 'statuses', 'users', 'likes']);

interface Walk {
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  aliases: number;
  maxDepth: number;
}

class LimitExceeded extends Error {}

function firstArgument(field: FieldNode, variables: Record<string, unknown>): number {
  const arg = field.arguments?.find((a) => a.name.value === 'first');
  const value: ValueNode | undefined = arg?.value;
  let first: unknown = PAGE_LIMIT_DEFAULT;
  if (value?.kind === Kind.INT) first = Number(value.value);
  if (value?.kind === Kind.VARIABLE) first = variables[value.name.value] ?? PAGE_LIMIT_DEFAULT;
  // An out-of-range `first` is refused by its resolver; for the cost it counts as asked.
  return typeof first === 'number' && Number.isFinite(first) && first > 0 ? first : 1;
}

/** The cost of a selection; also tracks depth and aliases, stopping once a limit is passed. */
function costOf(selectionSet: SelectionSetNode, depth: number, walk: Walk, seen: string[]): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) walk.aliases++;
      if (walk.aliases > GRAPHQL_LIMITS.aliases) throw new LimitExceeded();
      // Introspection is bounded by the schema itself (and GraphiQL's query nests deeply).
      if (selection.name.value.startsWith('__')) continue;
      walk.maxDepth = Math.max(walk.maxDepth, depth);
      if (walk.maxDepth > GRAPHQL_LIMITS.depth) throw new LimitExceeded();
      const children = selection.selectionSet
        ? costOf(selection.selectionSet, depth + 1, walk, seen)
        : 0;
      const times = CONNECTION_FIELDS.has(selection.name.value)
        ? firstArgument(selection, walk.variables)
        : 1;
      cost += 1 + times * children;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      cost += costOf(selection.selectionSet, depth, walk, seen);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      // Unknown or cyclic spreads are refused by validation, which runs first.
      if (!fragment || seen.includes(name)) continue;
      cost += costOf(fragment.selectionSet, depth, walk, [...seen, name]);
    }
    // Stops a fragment fan-out early, before walking all of it.
    if (cost > GRAPHQL_LIMITS.cost) throw new LimitExceeded();
  }
  return cost;
}

/**
 * Depth, aliases and cost of the operation that will run, from the document alone (no
 * statement runs before this). Null when it is within every limit.
 */
export function checkLimits(
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
  variables: Record<string, unknown> | null | undefined,
): GraphQLError | null {
  const walk: Walk = {
    fragments: new Map(fragments.map((f) => [f.name.value, f])),
    variables: variables ?? {},
    aliases: 0,
    maxDepth: 0,
  };
  let cost = 0;
  try {
    cost = costOf(operation.selectionSet, 1, walk, []);
  } catch (err) {
    if (!(err instanceof LimitExceeded)) throw err;
    cost = Number.POSITIVE_INFINITY;
  }
  if (walk.maxDepth > GRAPHQL_LIMITS.depth) {
    return requestError(
      `The query nests deeper than ${GRAPHQL_LIMITS.depth} levels.`,
      'query_too_deep',
    );
  }
  if (walk.aliases > GRAPHQL_LIMITS.aliases) {
    return requestError(
      `The query uses more than ${GRAPHQL_LIMITS.aliases} aliases.`,
      'too_many_aliases',
    );
  }
  if (cost > GRAPHQL_LIMITS.cost) {
    return requestError(
      `The query could ask for more than ${GRAPHQL_LIMITS.cost} rows (each connection counts first × its children). Ask for smaller pages.`,
      'query_too_costly',
    );
  }
  return null;
}

/** graphql-js's message when parse stops at maxTokens (16.x spells it "more that"). */
export const isTokenLimitError = (err: unknown) =>
  err instanceof GraphQLError && /contains more tha[nt] \d+ tokens/.test(err.message);
