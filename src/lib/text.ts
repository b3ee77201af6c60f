import { z } from '@hono/zod-openapi';

/** Length as a reader counts it (Unicode code points), the way JSON Schema maxLength counts. */
export const textLength = (value: string) => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

/**
 * A free-text field of `min..max` characters (code points, so an emoji counts once), stored
 * exactly as given: the API returns JSON and never renders HTML, so nothing is escaped here.
 * A required text (min >= 1) must also contain something other than white space.
 */
export function boundedText(min: number, max: number) {
  return z
    .string()
    .refine((v) => textLength(v) >= min, {
      error: min === 1 ? 'must not be empty' : `must be at least ${min} characters`,
    })
    .refine((v) => textLength(v) <= max, { error: `must be at most ${max} characters` })
    .refine((v) => min === 0 || v.trim().length > 0, { error: 'must not be only white space' })
    .openapi({ minLength: min, maxLength: max });
}
