import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../src/lib/image-sniff';
import {
  ACCEPTED_IMAGES,
  GIF_3X2,
  JPEG_3X2,
  makePng,
  WEBP_LOSSLESS_3X2,
  WEBP_LOSSY_5X4,
} from '../support/images';

const text = (s: string) => new TextEncoder().encode(s);

describe('sniffImage: type and dimensions from the bytes', () => {
  it.each(ACCEPTED_IMAGES)('%s', (_name, bytes, contentType, ext, width, height) => {
    expect(sniffImage(bytes)).toEqual({ contentType, ext, width, height });
  });

  it('PNG of any size', async () => {
    expect(sniffImage(await makePng(640, 480))).toEqual({
      contentType: 'image/png',
      ext: 'png',
      width: 640,
      height: 480,
    });
  });

  it.each([
    ['SVG', text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>')],
    ['HTML', text('<!doctype html><html><script>alert(1)</script></html>')],
    ['PDF', text('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF')],
    ['empty', new Uint8Array()],
    ['plain text named .png', text('definitely not an image')],
  ])('refuses %s', (_name, bytes) => {
    expect(sniffImage(bytes)).toBeNull();
  });

  it('refuses truncated files of every type', async () => {
    const png = await makePng(20, 20);
    for (const bytes of [png, JPEG_3X2, WEBP_LOSSY_5X4, WEBP_LOSSLESS_3X2, GIF_3X2]) {
      expect(sniffImage(bytes.subarray(0, bytes.length - 3))).toBeNull();
      expect(sniffImage(bytes.subarray(0, 12))).toBeNull();
    }
  });

  it('refuses an HTML payload behind a GIF magic number without a valid trailer', () => {
    expect(sniffImage(text('GIF89a<script>alert(1)</script>'))).toBeNull();
  });
});
