/**
 * Content-Type as RFC 9110 section 8.3.1 defines it: `type "/" subtype` (case-insensitive)
 * followed by parameters, each `OWS ";" OWS name=value`, the value a token or a quoted string.
 * The one parser behind every decision on a request body's type.
 */

export const JSON_MEDIA_TYPE = 'application/json';
export const MULTIPART_MEDIA_TYPE = 'multipart/form-data';

export interface MediaType {
  /** `type/subtype`, lower-cased. */
  essence: string;
  /** Parameter names lower-cased; values as sent, unquoted. */
  parameters: Record<string, string>;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED_STRING =
  '"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\[\\t \\x21-\\x7e\\x80-\\xff])*"';
const ESSENCE = new RegExp(`^(${TOKEN})/(${TOKEN})`);
const PARAMETER = new RegExp(`^[ \\t]*;[ \\t]*(?:(${TOKEN})=(${TOKEN}|${QUOTED_STRING}))?`);

const unquote = (value: string) =>
  value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;

/** The parsed media type, or null when the header is missing or not a valid media type. */
export function parseMediaType(header: string | null | undefined): MediaType | null {
  const value = header?.trim() ?? '';
  const essence = ESSENCE.exec(value);
  if (!essence) return null;
  const parameters: [string, string][] = [];
  let rest = value.slice(essence[0].length);
  while (rest.trim() !== '') {
    const parameter = PARAMETER.exec(rest);
    if (!parameter) return null;
    const [matched, name, parameterValue] = parameter;
    if (name !== undefined && parameterValue !== undefined) {
      parameters.push([name.toLowerCase(), unquote(parameterValue)]);
    }
    rest = rest.slice(matched.length);
  }
  return {
    essence: `${essence[1]}/${essence[2]}`.toLowerCase(),
    parameters: Object.fromEntries(parameters),
  };
}

/** The lower-cased `type/subtype` of a Content-Type, or null when there is none that parses. */
export const mediaTypeEssence = (header: string | null | undefined) =>
  parseMediaType(header)?.essence ?? null;

/** Exactly application/json, with any parameters (a `+json` type is another type). */
export const isJson = (header: string | null | undefined) =>
  mediaTypeEssence(header) === JSON_MEDIA_TYPE;

export const isMultipart = (header: string | null | undefined) =>
  mediaTypeEssence(header) === MULTIPART_MEDIA_TYPE;
