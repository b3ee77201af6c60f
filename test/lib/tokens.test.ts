import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/digest';
import {
  hashOpaqueToken,
  isOpaqueToken,
  newEmailedToken,
  newOpaqueToken,
} from '../../src/lib/tokens';

describe('opaque tokens', () => {
  it('are 256 random bits as 43 base64url characters, each one new', () => {
    const tokens = Array.from({ length: 200 }, newOpaqueToken);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(isOpaqueToken(token)).toBe(true);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    // Every base64url character turns up: no alphabet or padding left over from base64.
    expect(new Set(tokens.join('')).size).toBe(64);
  });

  it('are stored as the hex SHA-256 of their text, and an emailed one carries only that', async () => {
    const token = newOpaqueToken();
    expect(await hashOpaqueToken(token)).toBe(await sha256Hex(token));
    expect(await hashOpaqueToken(token)).toMatch(/^[0-9a-f]{64}$/);
    const now = new Date('2026-12-06T00:00:00Z');
    const emailed = await newEmailedToken(60_000, now);
    expect(emailed.record.tokenHash).toBe(await sha256Hex(emailed.token));
    expect(JSON.stringify(emailed.record)).not.toContain(emailed.token);
    expect(emailed.record.expiresAt.getTime()).toBe(now.getTime() + 60_000);
  });
});
