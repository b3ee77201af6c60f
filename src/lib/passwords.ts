/**
 * scrypt at one of OWASP's Password Storage Cheat Sheet settings (N=2^14, r=8, p=5), which
 * needs 16 MiB (128 * N * r bytes) and keeps N*r*p = 2^19.3 within workerd's scrypt cap
 * of 2^20 (per its limits). PBKDF2 would need 600,000 iterations for SHA-256, which
 * production Workers refuse (their WebCrypto caps PBKDF2 at 100,000).
 * Stored as a PHC-style string so the parameters can be raised later: $scrypt$ln=14,r=8,p=5$salt$hash
 */
export const SCRYPT_PARAMS = { ln: 14, r: 8, p: 5 } as const;
const KEY_LENGTH = 32;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
const SALT_LENGTH = 16;
// A stored key shorter than this is corrupt: checked against the dummy hash and refused.
const MIN_STORED_KEY_LENGTH = 16;

export interface ScryptParams {
  ln: number;
  r: number;
  p: number;
}

const b64 = (buf: Uint8Array) => Buffer.from(buf).toString('base64').replace(/=+$/, '');
const unb64 = (s: string) => Buffer.from(s, 'base64');

// node:crypto (scrypt is not in WebCrypto) is loaded on first use, not imported: evaluating it
// costs a Worker about 10 ms of CPU, which every start would pay, most never hashing anything.
const nodeCrypto = () => import('node:crypto');

async function derive(
  password: string,
  salt: Uint8Array,
  params: ScryptParams,
  keyLength = KEY_LENGTH,
) {
  const N = 2 ** params.ln;
  const { scrypt } = await nodeCrypto();
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      keyLength,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS) {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_LENGTH));
  const key = await derive(password, salt, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

export function parseHash(stored: string): ParsedHash | null {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
  if (!m) return null;
  return {
    params: { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) },
    salt: unb64(m[4] ?? ''),
    key: unb64(m[5] ?? ''),
  };
}

// Verified against when the account does not exist, so an unknown user costs the same work.
// A real hash (made by hashPassword from a random password that was then thrown away).
export const DUMMY_HASH =
  '$scrypt$ln=14,r=8,p=5$iboTwzTQIu2dMJWFRFAuwg$2j2Bb/vnG0xfJbSptKRPeVMedof+xAfrOlqakQIuv2c';

/** Constant-time check. Pass null for an unknown user: the same hashing work is done. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const own = stored === null ? null : parseHash(stored);
  const usable = own !== null && own.key.length >= MIN_STORED_KEY_LENGTH;
  const parsed = usable ? own : (parseHash(DUMMY_HASH) as ParsedHash);
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  const { timingSafeEqual } = await nodeCrypto();
  return timingSafeEqual(key, parsed.key) && usable;
}

/** True when a stored hash uses weaker parameters than today's: rehash it on login. */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  const { ln, r, p } = parsed.params;
  return ln < SCRYPT_PARAMS.ln || r < SCRYPT_PARAMS.r || p < SCRYPT_PARAMS.p;
}
