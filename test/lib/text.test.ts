import { describe, expect, it } from 'vitest';
import { boundedText, hasVisibleText } from '../../src/lib/text';

/** Text made only of invisible characters counts as empty (issue 10 item 12). */
describe('hasVisibleText', () => {
  it.each([
    ['empty', ''],
    ['white space', ' \t\n\r'],
    ['no-break and ideographic spaces', '\u00a0\u3000\u2007'],
    ['zero-width space', '\u200b'],
    ['zero-width joiners and marks', '\u200c\u200d\u200e\u200f'],
    ['word joiner and BOM', '\u2060\ufeff'],
    ['NUL and other controls', '\u0000\u0007\u001b\u007f\u0085'],
    ['soft hyphen', '\u00ad'],
    ['Hangul fillers', '\u3164\u115f\u1160\uffa0'],
    ['variation selectors', '\ufe0f\ufe0e'],
    ['tag characters', '\u{e0041}\u{e007f}'],
    ['bidi controls', '\u202e\u2066\u2069'],
    ['a mix', ' \u200b\u0000\u2060 '],
  ])('%s is not visible text', (_name, text) => {
    expect(hasVisibleText(text)).toBe(false);
  });

  it.each([
    ['letters', 'hi'],
    ['an emoji', '😀'],
    ['an emoji sequence with ZWJ', '👩\u200d💻'],
    ['CJK', '漢字'],
    ['a dot among zero-width spaces', '\u200b.\u200b'],
  ])('%s is visible text', (_name, text) => {
    expect(hasVisibleText(text)).toBe(true);
  });
});

describe('boundedText', () => {
  it('a required text refuses invisible-only input and keeps visible input as given', () => {
    const schema = boundedText(1, 10);
    expect(schema.safeParse('\u200b\u200b').success).toBe(false);
    expect(schema.safeParse('\u0000').success).toBe(false);
    expect(schema.safeParse(' a\u200b ').data).toBe(' a\u200b ');
  });

  it('an optional text (min 0) may be empty', () => {
    expect(boundedText(0, 10).safeParse('').success).toBe(true);
  });
});
