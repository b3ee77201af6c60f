import type { z } from '@hono/zod-openapi';

type RawIssue = z.core.$ZodRawIssue;

/** The name a message gives a field: its own key (`content`, `limit`), or "The body" itself. */
export function fieldName(path: readonly PropertyKey[] | undefined): string {
  const key = [...(path ?? [])].reverse().find((segment) => typeof segment === 'string');
  return key ?? 'The body';
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

const FORMAT_NAMES: Record<string, string> = {
  email: 'an email address',
  url: 'a URL',
  uuid: 'a UUID',
  datetime: 'a date and time in RFC 3339 form, like 2026-11-23T12:00:00Z',
  date: 'a date like 2026-11-23',
};

function describeIssue(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      if (issue.expected === 'object' && !issue.path?.length) return 'must be a JSON object.';
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `must be at least ${issue.minimum} characters`;
      }
      return issue.origin === 'array'
        ? `must have at least ${issue.minimum} items`
        : `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return issue.origin === 'array'
        ? `must have at most ${issue.maximum} items`
        : `must be at most ${issue.maximum}`;
    case 'invalid_format':
      if (issue.format === 'starts_with' && 'prefix' in issue) {
        return `must start with "${String(issue.prefix)}"`;
      }
      return FORMAT_NAMES[issue.format]
        ? `must be ${FORMAT_NAMES[issue.format]}`
        : 'is not in the expected format';
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return 'has unknown fields';
    default:
      return 'is not valid';
  }
}

/**
 * The zod error map for request validation: every issue a schema has no message of its own
 * for reads as the contract words it ("body is required", "bio must be at most 240
 * characters"), never as validator text ("Invalid input: expected string, received undefined").
 */
export const contractMessage = (issue: RawIssue): string =>
  `${fieldName(issue.path)} ${describeIssue(issue)}`;

/** As contractMessage; a repeated query parameter (`?author=a&author=b`) arrives as a list. */
export const queryParameterMessage = (issue: RawIssue): string =>
  issue.code === 'invalid_type' && Array.isArray(issue.input)
    ? `${fieldName(issue.path)} must be given once`
    : contractMessage(issue);
