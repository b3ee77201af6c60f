/**
 * Decides an upload's type from its bytes (magic numbers), never from the client's
 * Content-Type or file name, and reads width and height from the header. A file whose
 * header or trailer is missing (a truncated upload) is refused like any unknown type.
 */

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export type ImageContentType = (typeof IMAGE_TYPES)[number];

export interface SniffedImage {
  contentType: ImageContentType;
  ext: 'jpg' | 'png' | 'webp' | 'gif';
  width: number;
  height: number;
}

// Larger dimensions are refused: no real photo needs them, and decoders choke on them.
export const MAX_IMAGE_DIMENSION = 16_384;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// The last chunk of every PNG: length 0, "IEND", CRC.
const PNG_IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
const GIF_TRAILER = 0x3b;

const ascii = (b: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...b.subarray(at, at + length));
const startsWith = (b: Uint8Array, bytes: number[], at = 0) =>
  b.length >= at + bytes.length && bytes.every((v, i) => b[at + i] === v);
const u16be = (b: Uint8Array, at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u16le = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, at: number) => u16le(b, at) | ((b[at + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, at: number) => u16be(b, at) * 0x10000 + u16be(b, at + 2);
const u32le = (b: Uint8Array, at: number) => u16le(b, at) + u16le(b, at + 2) * 0x10000;

type Dimensions = { width: number; height: number } | null;

function png(b: Uint8Array): Dimensions {
  if (b.length < 33 + PNG_IEND.length || ascii(b, 12, 4) !== 'IHDR') return null;
  if (!startsWith(b, PNG_IEND, b.length - PNG_IEND.length)) return null;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

function gif(b: Uint8Array): Dimensions {
  if (b.length < 14 || b[b.length - 1] !== GIF_TRAILER) return null;
  return { width: u16le(b, 6), height: u16le(b, 8) };
}

// Start-of-frame markers carry the dimensions; C4 (DHT), C8 (JPG) and CC (DAC) do not.
const isStartOfFrame = (m: number) =>
  m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function jpeg(b: Uint8Array): Dimensions {
  // A complete JPEG ends with the EOI marker.
  if (b.length < 4 || b[b.length - 2] !== 0xff || b[b.length - 1] !== 0xd9) return null;
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // Markers without a length: TEM and RST0..7.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // EOI or scan data before any frame
    const length = u16be(b, at + 2);
    if (length < 2) return null;
    if (isStartOfFrame(marker)) {
      if (at + 9 > b.length) return null;
      return { height: u16be(b, at + 5), width: u16be(b, at + 7) };
    }
    at += 2 + length;
  }
  return null;
}

function webp(b: Uint8Array): Dimensions {
  // RIFF size counts everything after its own field: a shorter file was cut off.
  if (b.length < 30 || u32le(b, 4) + 8 > b.length) return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    // Lossy: a key frame's start code, then 14-bit width and height.
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return null;
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    // Lossless: signature 0x2f, then width-1 and height-1 in 14 bits each.
    if (b[20] !== 0x2f) return null;
    const bits = u32le(b, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    // Extended: canvas width-1 and height-1 in 24 bits each.
    return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  }
  return null;
}

export function sniffImage(bytes: Uint8Array): SniffedImage | null {
  let type: Pick<SniffedImage, 'contentType' | 'ext'>;
  let dims: Dimensions;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    type = { contentType: 'image/jpeg', ext: 'jpg' };
    dims = jpeg(bytes);
  } else if (startsWith(bytes, PNG_SIGNATURE)) {
    type = { contentType: 'image/png', ext: 'png' };
    dims = png(bytes);
  } else if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') {
    type = { contentType: 'image/gif', ext: 'gif' };
    dims = gif(bytes);
  } else if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    type = { contentType: 'image/webp', ext: 'webp' };
    dims = webp(bytes);
  } else {
    return null;
  }
  if (!dims) return null;
  const { width, height } = dims;
  if (width < 1 || height < 1 || width > MAX_IMAGE_DIMENSION || height > MAX_IMAGE_DIMENSION) {
    return null;
  }
  return { ...type, width, height };
}
