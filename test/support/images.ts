/**
 * Image bytes for upload tests, made in code. The JPEG, WebP and GIF samples are tiny files
 * written by libvips (sharp) once and pasted here as base64; PNGs of any size are built
 * below (IHDR + zlib IDAT + IEND, with real CRCs) so tests can choose the dimensions.
 */

import { env } from 'cloudflare:workers';
import { createDatabase } from '../../src/db/client';
import { sniffImage } from '../../src/lib/image-sniff';
import { storeImage } from '../../src/lib/uploads';
import { createUser } from './direct-users';

const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Baseline JPEG, 3 x 2. */
export const JPEG_3X2 = fromBase64(
  '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAACAAMDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABgf/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCXADS2v//Z',
);
/** Progressive JPEG (SOF2), 5 x 4. */
export const JPEG_PROGRESSIVE_5X4 = fromBase64(
  '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wgARCAAEAAUDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAVAQEBAAAAAAAAAAAAAAAAAAAFBv/aAAwDAQACEAMQAAABlgZbf//EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAQUCf//EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQMBAT8Bf//EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQIBAT8Bf//EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEABj8Cf//EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAT8hf//aAAwDAQACAAMAAAAQ/wD/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oACAEDAQE/EH//xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oACAECAQE/EH//xAAUEAEAAAAAAAAAAAAAAAAAAAAA/9oACAEBAAE/EH//2Q==',
);
/** Lossless WebP (VP8L), 3 x 2. */
export const WEBP_LOSSLESS_3X2 = fromBase64('UklGRh4AAABXRUJQVlA4TBEAAAAvAkAAAAdQhSJXof+BiOh/AAA=');
/** Lossy WebP (VP8), 5 x 4. */
export const WEBP_LOSSY_5X4 = fromBase64(
  'UklGRjgAAABXRUJQVlA4ICwAAACQAQCdASoFAAQAAsBMJaACdLoAA5gA/u+ax9CjZRKpf/SbP+Js/4mz45gAAA==',
);
/** Extended WebP (VP8X, with alpha), 5 x 4. */
export const WEBP_EXTENDED_5X4 = fromBase64(
  'UklGRlwAAABXRUJQVlA4WAoAAAAQAAAABAAAAwAAQUxQSAoAAAABB1DAiAhERP8DVlA4ICwAAACQAQCdASoFAAQAAsBMJaACdLoAA5gA/u+ax9CjZRKpf/SbP+Js/4mz45gAAA==',
);
/** GIF89a, 3 x 2. */
export const GIF_3X2 = fromBase64('R0lGODlhAwACAIAAAExpccgKCiH5BAUAAAAALAAAAAADAAIAAAICjF8AOw==');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

function chunk(type: string, data: Uint8Array): number[] {
  const typed = new Uint8Array([...new TextEncoder().encode(type), ...data]);
  return [...u32(data.length), ...typed, ...u32(crc32(typed))];
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A valid RGB PNG of the given size, a diagonal gradient (so it is not one flat colour). */
export async function makePng(width: number, height: number): Promise<Uint8Array> {
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3); // each row starts with filter type 0
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = (x * 255) / width;
      raw[row + 2 + x * 3] = (y * 255) / height;
      raw[row + 3 + x * 3] = 128;
    }
  }
  const ihdr = new Uint8Array([...u32(width), ...u32(height), 8, 2, 0, 0, 0]);
  return new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...chunk('IHDR', ihdr),
    ...chunk('IDAT', await deflate(raw)),
    ...chunk('IEND', new Uint8Array()),
  ]);
}

/** Width and height from a PNG's IHDR (to check thumbnails the Images binding made). */
export const pngSize = (b: Uint8Array) => {
  const view = new DataView(b.buffer, b.byteOffset);
  return { width: view.getUint32(16), height: view.getUint32(20) };
};

/** A multipart/form-data body with one file field (and optional text fields). */
export function imageForm(
  field: string,
  bytes: Uint8Array,
  filename = 'upload.bin',
  type = 'application/octet-stream',
  extra: Record<string, string> = {},
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(extra)) form.append(name, value);
  form.append(field, new File([bytes], filename, { type }));
  return form;
}

/** Every accepted sample and what its bytes say: name, bytes, content type, extension, size. */
export const ACCEPTED_IMAGES = [
  ['baseline JPEG', JPEG_3X2, 'image/jpeg', 'jpg', 3, 2],
  ['progressive JPEG', JPEG_PROGRESSIVE_5X4, 'image/jpeg', 'jpg', 5, 4],
  ['lossless WebP', WEBP_LOSSLESS_3X2, 'image/webp', 'webp', 3, 2],
  ['lossy WebP', WEBP_LOSSY_5X4, 'image/webp', 'webp', 5, 4],
  ['extended WebP', WEBP_EXTENDED_5X4, 'image/webp', 'webp', 5, 4],
  ['GIF', GIF_3X2, 'image/gif', 'gif', 3, 2],
] as const;

/** Stores bytes as a new user's post image, through the same code uploads use. */
export async function storeTestImage(bytes: Uint8Array) {
  const user = await createUser();
  const sniffed = sniffImage(bytes);
  if (!sniffed) throw new Error('fixture is not an image');
  const { image } = await storeImage({
    bucket: env.BUCKET,
    db: createDatabase(env.DB),
    ownerId: user.id,
    purpose: 'post',
    image: { ...sniffed, bytes },
  });
  return image;
}
