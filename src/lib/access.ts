import type { AuthContext } from '../env';
import { forbidden } from './problem';

/**
 * Object-level permissions, in one table so every write route asks the same question the same
 * way. `owner`: only the author; `owner_or_admin`: the author or an administrator.
 */
export const ACCESS_POLICY = {
  'post.update': 'owner_or_admin',
  'post.delete': 'owner_or_admin',
  'status.update': 'owner',
  'status.delete': 'owner_or_admin',
} as const;

export type Action = keyof typeof ACCESS_POLICY;

export function can(auth: AuthContext, action: Action, ownerId: string): boolean {
  if (auth.userId === ownerId) return true;
  return ACCESS_POLICY[action] === 'owner_or_admin' && auth.isAdmin;
}

/** Throws 403 unless `auth` may perform `action` on a resource owned by `ownerId`. */
export function authorize(auth: AuthContext, action: Action, ownerId: string): void {
  if (!can(auth, action, ownerId)) {
    const who = ACCESS_POLICY[action] === 'owner' ? 'its author' : 'its author or an administrator';
    const [resource] = action.split('.');
    throw forbidden(`Only ${who} may do this to the ${resource}.`, 'not_owner');
  }
}

/** The resource a write names: its id, the origin its URLs render with, REST's If-Match. */
export interface WriteTarget {
  id: string;
  origin: string;
  ifMatch?: string;
}
