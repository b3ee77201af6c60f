import { describe, expect, it } from 'vitest';
import {
  evaluateIfMatch,
  ifNoneMatchMatches,
  parseEntityTagCondition,
} from '../../src/lib/conditional';

const TAG = '"3f78"';

describe('parseEntityTagCondition', () => {
  it('reads *, single tags, weak tags and lists with optional whitespace and empty elements', () => {
    expect(parseEntityTagCondition(' * ')).toBe('*');
    expect(parseEntityTagCondition('"a"')).toEqual([{ weak: false, opaque: '"a"' }]);
    expect(parseEntityTagCondition('W/"a" ,"b",, "c,d"')).toEqual([
      { weak: true, opaque: '"a"' },
      { weak: false, opaque: '"b"' },
      { weak: false, opaque: '"c,d"' },
    ]);
    expect(parseEntityTagCondition('""')).toEqual([{ weak: false, opaque: '""' }]);
  });

  it.each([
    '',
    ' ',
    'W/',
    'not-quoted',
    '"unterminated',
    'null',
    'W/"x',
    '"a" "b"',
    ',,',
    '"a", *',
    'w/"a"',
    '"a b"',
    '"a"x',
  ])('refuses %j', (value) => {
    expect(parseEntityTagCondition(value)).toBeNull();
  });
});

describe('matching', () => {
  it('If-None-Match compares weakly; unparseable or absent never matches', () => {
    expect(ifNoneMatchMatches(TAG, TAG)).toBe(true);
    expect(ifNoneMatchMatches(`W/${TAG}`, TAG)).toBe(true);
    expect(ifNoneMatchMatches(`"x", ${TAG}`, TAG)).toBe(true);
    expect(ifNoneMatchMatches('*', TAG)).toBe(true);
    expect(ifNoneMatchMatches('"x"', TAG)).toBe(false);
    expect(ifNoneMatchMatches(`junk ${TAG}`, TAG)).toBe(false);
    expect(ifNoneMatchMatches(undefined, TAG)).toBe(false);
  });

  it('If-Match compares strongly and reports an unparseable header as malformed', () => {
    expect(evaluateIfMatch(TAG, TAG)).toBe('holds');
    expect(evaluateIfMatch('*', TAG)).toBe('holds');
    expect(evaluateIfMatch(`"x", ${TAG}`, TAG)).toBe('holds');
    expect(evaluateIfMatch(`W/${TAG}`, TAG)).toBe('fails');
    expect(evaluateIfMatch('"x"', TAG)).toBe('fails');
    expect(evaluateIfMatch(`${TAG} junk`, TAG)).toBe('malformed');
  });
});
