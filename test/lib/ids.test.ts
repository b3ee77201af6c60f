import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId', () => {
  it('makes distinct UUIDv7s that carry their timestamp, across refills of the random pool', () => {
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const ids = Array.from({ length: 1000 }, () => newId(now));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(UUID_V7);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
      expect(Number.parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(now);
    }
  });

  it('sorts by creation time', () => {
    expect(newId(1_000) < newId(2_000)).toBe(true);
  });
});
