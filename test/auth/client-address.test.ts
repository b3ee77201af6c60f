import { describe, expect, it } from 'vitest';
import { rateLimitAddress } from '../../src/lib/rate-limit';

describe('rateLimitAddress', () => {
  it('keeps the /64 of an IPv6 address, however it is written', () => {
    const key = rateLimitAddress('2001:db8:1:2::a');
    expect(key).toBe('2001:db8:1:2::/64');
    for (const same of [
      '2001:0db8:0001:0002:ffff:ffff:ffff:ffff',
      '2001:DB8:1:2:0:0:0:1',
      ' 2001:db8:1:2:1:2:3:4 ',
      '2001:db8:1:2::1.2.3.4',
    ]) {
      expect(rateLimitAddress(same), same).toBe(key);
    }
    expect(rateLimitAddress('2001:db8:1:3::a')).not.toBe(key);
    expect(rateLimitAddress('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitAddress('2001:db8::')).toBe('2001:db8:0:0::/64');
  });

  it('keeps IPv4 as it is, also when mapped into IPv6', () => {
    expect(rateLimitAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('puts a missing or malformed address in one shared bucket', () => {
    for (const bad of [undefined, '', 'not an ip', '1:2:3', '2001:db8::1::2', 'g::1']) {
      expect(rateLimitAddress(bad), String(bad)).toBe('unknown');
    }
  });
});
