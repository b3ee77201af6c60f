/**
 * The conditional request headers If-None-Match and If-Match (RFC 9110 section 13.1), parsed
 * here and only here. A value that is not `*` or a list of entity tags is unparseable and never
 * matches; the raw header is never handed to storage (R2 throws on a malformed one).
 */

export interface EntityTag {
  weak: boolean;
  /** The quoted part, quotes included: `"abc"`. */
  opaque: string;
}

/** `*`, or the listed entity tags; null when the value cannot be parsed. */
export type EntityTagCondition = '*' | EntityTag[];

// One list element: an optional entity-tag (etagc = %x21 / %x23-7E / obs-text) between
// optional whitespace, then a comma or the end. Empty elements are allowed by the list syntax.
const LIST_ELEMENT = /[ \t]*(?:(W\/)?("[\x21\x23-\x7E\x80-\xFF]*"))?[ \t]*(?:,|$)/y;

export function parseEntityTagCondition(value: string): EntityTagCondition | null {
  if (value.trim() === '*') return '*';
  const tags: EntityTag[] = [];
  let at = 0;
  while (at < value.length) {
    LIST_ELEMENT.lastIndex = at;
    const element = LIST_ELEMENT.exec(value);
    if (!element || LIST_ELEMENT.lastIndex === at) return null;
    const [, weak, opaque] = element;
    if (opaque) tags.push({ weak: weak !== undefined, opaque });
    at = LIST_ELEMENT.lastIndex;
  }
  return tags.length > 0 ? tags : null;
}

/** One entity tag as a response sends it (`"abc"` or `W/"abc"`); null when it is not one. */
export function parseEntityTag(value: string): EntityTag | null {
  const parsed = parseEntityTagCondition(value);
  return parsed !== null && parsed !== '*' && parsed.length === 1 ? (parsed[0] ?? null) : null;
}

/**
 * If-None-Match against the current representation's tag, by weak comparison: true means the
 * client's copy is current (304). Absent or unparseable headers never match.
 */
export function ifNoneMatchMatches(header: string | undefined, currentEtag: string): boolean {
  if (header === undefined) return false;
  const condition = parseEntityTagCondition(header);
  const current = parseEntityTag(currentEtag);
  if (condition === null || current === null) return false;
  return condition === '*' || condition.some((tag) => tag.opaque === current.opaque);
}

export type IfMatchOutcome = 'holds' | 'fails' | 'malformed';

/**
 * If-Match against the current representation's tag, by strong comparison (a weak tag never
 * matches). An unparseable header is `malformed`: like `fails`, the request must not proceed.
 */
export function evaluateIfMatch(header: string, currentEtag: string): IfMatchOutcome {
  const condition = parseEntityTagCondition(header);
  if (condition === null) return 'malformed';
  if (condition === '*') return 'holds';
  const current = parseEntityTag(currentEtag);
  const holds =
    current !== null &&
    !current.weak &&
    condition.some((tag) => !tag.weak && tag.opaque === current.opaque);
  return holds ? 'holds' : 'fails';
}
