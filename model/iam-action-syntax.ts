/**
 * IAM's action syntax (`*` or `service:Action`, with `*` and `?` wildcards in the action part): what the normaliser
 * accepts in a policy's Action and NotAction. Syntax only; what an action grants is exposure/s3-actions.ts.
 */

const IAM_ACTION = /^(?:\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;

export function isIamActionSyntax(action: string): boolean {
  return IAM_ACTION.test(action);
}
