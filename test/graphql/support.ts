import {
  type GraphQLOutputType,
  getNullableType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  type SelectionSetNode,
} from 'graphql';
import { expect } from 'vitest';
import { schema } from '../../src/features/graphql/graphql.endpoint';
import { type CallResult, call } from '../support/http';

export interface GqlInit {
  variables?: Record<string, unknown>;
  operationName?: string;
  token?: string;
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
  method?: 'GET' | 'POST';
}

/**
 * Sends a GraphQL request through the Worker's fetch handler (checked against the OpenAPI
 * document like every request) and checks `data` against the GraphQL schema and the query:
 * every selected field present with its declared type, and nothing else.
 */
export async function gql(query: string | undefined, init: GqlInit = {}): Promise<CallResult> {
  const params = {
    query,
    variables: init.variables,
    operationName: init.operationName,
    extensions: init.extensions,
  };
  const headers = { ...init.headers };
  let result: CallResult;
  if (init.method === 'GET') {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined)
        search.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
    result = await call(`/graphql?${search}`, { method: 'GET', token: init.token, headers });
  } else {
    result = await call('/graphql', { method: 'POST', json: params, token: init.token, headers });
  }
  const data = result.body?.data;
  if (query && data) assertMatchesQuery(query, init.operationName, data);
  return result;
}

/** The data of a query that must succeed. */
export async function gqlData(query: string, init: GqlInit = {}) {
  const { status, body } = await gql(query, init);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  expect(status).toBe(200);
  return body.data;
}

/** The errors' codes (and fields), for compact assertions. */
export const codesOf = (body: { errors?: { extensions?: { code?: string; field?: string } }[] }) =>
  (body.errors ?? []).map((e) =>
    e.extensions?.field ? `${e.extensions.code}:${e.extensions.field}` : e.extensions?.code,
  );

function checkValue(
  type: GraphQLOutputType,
  value: unknown,
  set: SelectionSetNode | undefined,
  at: string,
  frags: Map<string, SelectionSetNode>,
) {
  if (value === null) {
    if (isNonNullType(type)) throw new Error(`${at}: null for non-null ${String(type)}`);
    return;
  }
  const inner = getNullableType(type);
  if (isListType(inner)) {
    if (!Array.isArray(value)) throw new Error(`${at}: expected a list`);
    value.forEach((item, i) => {
      checkValue(inner.ofType, item, set, `${at}/${i}`, frags);
    });
    return;
  }
  if (isScalarType(inner) || isEnumType(inner)) {
    const name = inner.name;
    const ok =
      name === 'Int'
        ? Number.isInteger(value)
        : name === 'Boolean'
          ? typeof value === 'boolean'
          : name === 'DateTime'
            ? typeof value === 'string' && new Date(value).toISOString() === value
            : typeof value === 'string';
    if (!ok) throw new Error(`${at}: ${JSON.stringify(value)} is not a ${name}`);
    return;
  }
  if (isObjectType(inner) && set) checkObject(inner.name, value, set, at, frags);
}

function selectedFields(set: SelectionSetNode, frags: Map<string, SelectionSetNode>) {
  const out: { key: string; name: string; set?: SelectionSetNode }[] = [];
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      out.push({ key: s.alias?.value ?? s.name.value, name: s.name.value, set: s.selectionSet });
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      out.push(...selectedFields(s.selectionSet, frags));
    } else {
      const f = frags.get(s.name.value);
      if (f) out.push(...selectedFields(f, frags));
    }
  }
  return out;
}

function checkObject(
  typeName: string,
  value: unknown,
  set: SelectionSetNode,
  at: string,
  frags: Map<string, SelectionSetNode>,
) {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${at}: expected a ${typeName} object`);
  }
  const fields = selectedFields(set, frags);
  const record = value as Record<string, unknown>;
  const keys = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(record)) {
    if (!keys.has(key)) throw new Error(`${at}/${key}: not selected (undeclared field)`);
  }
  for (const f of fields) {
    if (f.name === '__typename') continue;
    const field = type.getFields()[f.name];
    if (!field) throw new Error(`${at}: ${typeName}.${f.name} is not in the schema`);
    if (!(f.key in record)) throw new Error(`${at}/${f.key}: missing`);
    checkValue(field.type, record[f.key], f.set, `${at}/${f.key}`, frags);
  }
}

/** `data` has exactly the shape the operation and the schema say. */
export function assertMatchesQuery(
  query: string,
  operationName: string | undefined,
  data: unknown,
) {
  const document = parse(query);
  const frags = new Map<string, SelectionSetNode>();
  let operation: { set: SelectionSetNode; root: string } | undefined;
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) frags.set(d.name.value, d.selectionSet);
    if (
      d.kind === Kind.OPERATION_DEFINITION &&
      (!operationName || d.name?.value === operationName)
    ) {
      operation = { set: d.selectionSet, root: d.operation === 'mutation' ? 'Mutation' : 'Query' };
    }
  }
  if (!operation) throw new Error('no operation');
  // Partial data: a field that failed is null, which its nullability must allow or bubble.
  checkObject(operation.root, data, operation.set, '', frags);
}
