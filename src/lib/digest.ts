// Two hex digits per byte value: one lookup per byte instead of a padded toString each time.
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Bytes as lowercase hex, two digits each. */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += HEX[b];
  return hex;
}

const encoder = new TextEncoder();

/** A string's UTF-8 bytes. */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** SHA-256 of `data` (a string is hashed as its UTF-8), as lowercase hex. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? utf8(data) : data;
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

/** Bytes as base64url without padding (RFC 4648 section 5). */
export const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
