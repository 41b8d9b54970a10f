/**
 * IAM's action syntax (`*` or `service:Action`, with `*` and `?` wildcards in the action part): what the normaliser
 * accepts in a policy's Action and NotAction. Syntax only; what an action grants is exposure/s3-actions.ts.
 */
import { BoundedMemo } from './bounded-memo';

const IAM_ACTION = /^(?:\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;

/**
 * The same few action names recur in every policy: each is tested once. A lookup hashes the string, and V8 keeps
 * that hash, so exposure/s3-actions.ts finds the same string again without hashing it twice.
 */
const VALID = new BoundedMemo<string, boolean>(2048);

export function isIamActionSyntax(action: string): boolean {
  let valid = VALID.get(action);
  if (valid === undefined) valid = VALID.remember(action, IAM_ACTION.test(action));
  return valid;
}
