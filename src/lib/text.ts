import { z } from '@hono/zod-openapi';
import { fieldName } from './field-messages';

/** Length as a reader counts it (Unicode code points), the way JSON Schema maxLength counts. */
export const textLength = (value: string) => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

// White space, controls (NUL...), format characters (zero-width space and joiners, bidi
// controls, BOM, tags) and the other code points Unicode says to render as nothing (Hangul
// fillers, variation selectors): text made only of these looks empty.
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Z}\p{Default_Ignorable_Code_Point}]/gu;

/** Whether the text shows anything at all to a reader. */
export const hasVisibleText = (value: string) => value.replace(INVISIBLE, '') !== '';

/**
 * A free-text field of `min..max` characters (code points, so an emoji counts once), stored
 * exactly as given: the API returns JSON and never renders HTML, so nothing is escaped here.
 * A required text (min >= 1) must also show something: invisible characters alone are empty.
 */
export function boundedText(min: number, max: number) {
  const range = min === 0 ? `at most ${max}` : `${min} to ${max}`;
  return z
    .string()
    .refine(
      (v) => {
        const length = textLength(v);
        return length >= min && length <= max;
      },
      { error: (issue) => `${fieldName(issue.path)} must be ${range} characters`, abort: true },
    )
    .refine((v) => min === 0 || hasVisibleText(v), {
      error: (issue) =>
        `${fieldName(issue.path)} must contain visible text, not only spaces or invisible characters`,
    })
    .openapi({ minLength: min, maxLength: max });
}
