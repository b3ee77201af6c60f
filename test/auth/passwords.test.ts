import { describe, expect, it } from 'vitest';
import { isCommonPassword } from '../../src/lib/common-passwords';
import { COMMON_PASSWORDS_TEXT } from '../../src/lib/common-passwords.data';
import {
  DUMMY_HASH,
  hashPassword,
  needsRehash,
  parseHash,
  SCRYPT_PARAMS,
  verifyPassword,
} from '../../src/lib/passwords';

// Production Workers refuse scrypt above N*r*p = 2^20 and an isolate has 128 MB; local runs
// would not notice a violation, so the limits are pinned here.
const WORKERD_SCRYPT_MAX_NRP = 2 ** 20;
const MAX_SCRYPT_MEMORY_BYTES = 32 * 1024 * 1024;

describe('password hashing parameters', () => {
  it('are an OWASP scrypt setting that production Workers accept', () => {
    const N = 2 ** SCRYPT_PARAMS.ln;
    expect({ N, r: SCRYPT_PARAMS.r, p: SCRYPT_PARAMS.p }).toEqual({ N: 16_384, r: 8, p: 5 });
    expect(N * SCRYPT_PARAMS.r * SCRYPT_PARAMS.p).toBeLessThanOrEqual(WORKERD_SCRYPT_MAX_NRP);
    expect(128 * N * SCRYPT_PARAMS.r).toBeLessThanOrEqual(MAX_SCRYPT_MEMORY_BYTES);
  });

  it('are stored with the hash as a PHC-style string', async () => {
    const hash = await hashPassword('a perfectly fine password');
    expect(hash).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(parseHash(hash)?.params).toEqual({ ln: 14, r: 8, p: 5 });
  });
});

describe('hashPassword / verifyPassword', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('tr0ub4dor&3 horse');
    expect(await verifyPassword('tr0ub4dor&3 horse', hash)).toBe(true);
    expect(await verifyPassword('tr0ub4dor&3 hors', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same input here')).not.toBe(await hashPassword('same input here'));
  });

  it('does the same work for an unknown user and never succeeds', async () => {
    expect(parseHash(DUMMY_HASH)?.params).toEqual(SCRYPT_PARAMS);
    expect(await verifyPassword('anything at all', null)).toBe(false);
  });

  it('refuses a corrupt stored hash', async () => {
    expect(await verifyPassword('whatever123', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('whatever123', '$scrypt$ln=14,r=8,p=5$AAAA$AA')).toBe(false);
  });

  it('asks for a rehash when the stored parameters are weaker than today', async () => {
    expect(needsRehash(await hashPassword('old password 1', { ln: 10, r: 8, p: 1 }))).toBe(true);
    expect(needsRehash(await hashPassword('new password 1'))).toBe(false);
    expect(needsRehash('garbage')).toBe(true);
  });
});

describe('common passwords', () => {
  it('ships 1,000 distinct lower-case entries of at least 8 characters', () => {
    const list = COMMON_PASSWORDS_TEXT.split('\n');
    expect(list).toHaveLength(1000);
    expect(new Set(list).size).toBe(1000);
    expect(list.every((p) => p.length >= 8 && p === p.toLowerCase())).toBe(true);
  });

  it('matches case-insensitively', () => {
    expect(isCommonPassword('password')).toBe(true);
    expect(isCommonPassword('PassWord')).toBe(true);
    expect(isCommonPassword('iloveyou')).toBe(true);
    expect(isCommonPassword('correct horse battery staple')).toBe(false);
  });
});
