import { sign, verify } from 'hono/jwt';
import type { Config } from '../env';
import { sha256Hex, toBase64Url } from './digest';
import { newId } from './ids';
import { invalidToken, unprocessable } from './problem';

// Pinned: tokens are only ever signed and accepted with this algorithm.
export const ACCESS_TOKEN_ALG = 'HS256' as const;

export interface AccessTokenClaims {
  sub: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
  jti: string;
  /**
   * The user's token generation when the token was signed. Revocation bumps the stored one,
   * so every earlier token fails the check in `authenticate` at once. A counter, not a
   * comparison of `iat` with a revocation time, because both can fall in the same second.
   */
  gen: number;
}

/** Who a token is for: the user and its current token generation. */
export interface TokenSubject {
  id: string;
  tokenGeneration: number;
}

export async function signAccessToken(config: Config, subject: TokenSubject, nowMs = Date.now()) {
  const iat = Math.floor(nowMs / 1000);
  const claims: AccessTokenClaims = {
    sub: subject.id,
    gen: subject.tokenGeneration,
    iat,
    exp: iat + config.ACCESS_TOKEN_TTL_SECONDS,
    iss: config.JWT_ISSUER,
    aud: config.JWT_AUDIENCE,
    jti: newId(nowMs),
  };
  const token = await sign({ ...claims }, config.JWT_SECRET, ACCESS_TOKEN_ALG);
  return { token, expiresIn: config.ACCESS_TOKEN_TTL_SECONDS, claims };
}

/** Verifies signature, algorithm, exp, iss and aud; throws a 401 invalid_token problem. */
export async function verifyAccessToken(config: Config, token: string): Promise<AccessTokenClaims> {
  let payload: Record<string, unknown>;
  try {
    payload = await verify(token, config.JWT_SECRET, {
      alg: ACCESS_TOKEN_ALG,
      iss: config.JWT_ISSUER,
      aud: config.JWT_AUDIENCE,
    });
  } catch {
    throw invalidToken();
  }
  // hono/jwt checks exp only when present; a token without one would never expire.
  if (
    typeof payload.exp !== 'number' ||
    typeof payload.sub !== 'string' ||
    !Number.isSafeInteger(payload.gen)
  ) {
    throw invalidToken();
  }
  return payload as unknown as AccessTokenClaims;
}

// Refresh tokens and emailed one-time tokens: 256 random bits, opaque to the client, and
// stored only as their SHA-256 (a database leak then reveals no usable token). A fast hash
// is enough here because the input has full entropy; passwords need scrypt, tokens do not.
// WebCrypto, not node:crypto: importing that costs a Worker about 10 ms of CPU at every start.
const OPAQUE_TOKEN_BYTES = 32;
const OPAQUE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh 256-bit token, base64url without padding (43 characters). */
export function newOpaqueToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(OPAQUE_TOKEN_BYTES)));
}

/** True when the string could be a token from newOpaqueToken (checked before any lookup). */
export const isOpaqueToken = (value: string) => OPAQUE_TOKEN_PATTERN.test(value);

/** The hex SHA-256 stored in place of the token. */
export const hashOpaqueToken = (token: string): Promise<string> => sha256Hex(token);

const HOUR_MS = 60 * 60 * 1000;
export const EMAIL_VERIFICATION_TTL_MS = 48 * HOUR_MS;
export const PASSWORD_RESET_TTL_MS = HOUR_MS;

/** A token to email: the plain value goes in the message, the record (hash only) to the database. */
export async function newEmailedToken(ttlMs: number, now: Date) {
  const token = newOpaqueToken();
  return {
    token,
    record: {
      id: newId(now.getTime()),
      tokenHash: await hashOpaqueToken(token),
      expiresAt: new Date(now.getTime() + ttlMs),
    },
  };
}

/** 422 for an emailed token that is unknown, spent or expired (the same answer for each). */
export const invalidEmailedToken = () =>
  unprocessable('The token is unknown, already used or expired.', 'invalid_or_expired_token', {
    errors: [{ path: '/body/token', message: 'Unknown, already used or expired.' }],
  });
