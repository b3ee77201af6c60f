/**
 * UUIDv7 (RFC 9562): 48-bit millisecond timestamp then random bits, so ids sort by
 * creation time and never reveal a count. The random bits come from the runtime's native
 * crypto.randomUUID() (a v4: 122 random bits, the same RFC variant), of which v7 keeps 74 —
 * one native call instead of filling, copying and hex-encoding bytes in JavaScript.
 */
export function newId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  const random = crypto.randomUUID(); // xxxxxxxx-xxxx-4aaa-vbbb-bbbbbbbbbbbb
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}
