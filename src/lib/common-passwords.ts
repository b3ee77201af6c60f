import { COMMON_PASSWORDS_TEXT } from './common-passwords.data';

// Built on first use, not at module load, so isolates that never see a password skip it.
let list: Set<string> | undefined;

/** True when the password is one of the 1,000 most common (compared case-insensitively). */
export function isCommonPassword(password: string): boolean {
  list ??= new Set(COMMON_PASSWORDS_TEXT.split('\n'));
  return list.has(password.normalize('NFKC').toLowerCase());
}
