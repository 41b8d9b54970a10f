/**
 * Least-privilege IAM from the actions each rule / remediation action declares. Nothing is granted that is not
 * declared, no action may contain a wildcard, and every action is pinned to the narrowest resource IAM supports
 * for it (bucket ARNs, the topic, the flap table); only actions without resource-level support get "*".
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** Raised at synth when a registry declares an action we refuse to grant. */
export class InvalidPermissionError extends Error {
  override readonly name = 'InvalidPermissionError';
  constructor(
    readonly action: string,
    readonly declaredBy: string,
    why: string,
  ) {
    super(`Refusing to grant IAM action ${JSON.stringify(action)} declared by ${declaredBy}: ${why}`);
  }
}

/** service:Action with no wildcard anywhere. */
const ACTION_FORMAT = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

/** S3 actions that act on the account, not a bucket: IAM only accepts Resource "*" for them. */
export const ACCOUNT_LEVEL_S3_ACTIONS: ReadonlySet<string> = new Set([
  's3:GetAccountPublicAccessBlock',
  's3:PutAccountPublicAccessBlock',
  's3:ListAllMyBuckets',
]);

/** Services whose actions used by bucketguard have no resource-level permissions in IAM. */
export const RESOURCE_STAR_SERVICES: ReadonlySet<string> = new Set(['config', 'tag', 'cloudwatch', 'xray']);

export interface PermissionScopes {
  readonly topicArn?: string;
  readonly flapTableArn?: string;
}

export type ResourceScope = 'buckets' | 'account' | 'topic' | 'flap-table';

export function validateAction(action: string, declaredBy: string): void {
  if (!ACTION_FORMAT.test(action)) {
    throw new InvalidPermissionError(action, declaredBy, 'expected "service:Action" with no wildcard.');
  }
}

/** Which resource an action is granted on; throws when the resource it needs does not exist in this deployment. */
export function resourceScopeOf(action: string, declaredBy: string, scopes: PermissionScopes): ResourceScope {
  validateAction(action, declaredBy);
  const service = action.slice(0, action.indexOf(':'));
  if (service === 's3') return ACCOUNT_LEVEL_S3_ACTIONS.has(action) ? 'account' : 'buckets';
  if (service === 'sns') {
    if (!scopes.topicArn) throw new InvalidPermissionError(action, declaredBy, 'no SNS topic in this deployment.');
    return 'topic';
  }
  if (service === 'dynamodb') {
    if (!scopes.flapTableArn)
      throw new InvalidPermissionError(action, declaredBy, 'no DynamoDB table in this deployment.');
    return 'flap-table';
  }
  if (RESOURCE_STAR_SERVICES.has(service)) return 'account';
  throw new InvalidPermissionError(
    action,
    declaredBy,
    `service "${service}" has no resource scoping in infra/iam.ts; add one before granting it.`,
  );
}

function resourceArn(scope: ResourceScope, scopes: PermissionScopes): string {
  switch (scope) {
    case 'buckets':
      // Bucket ARNs only (no "/*"): bucketguard reads and writes bucket configuration, never objects.
      return `arn:${Aws.PARTITION}:s3:::*`;
    case 'account':
      return '*';
    case 'topic':
      return scopes.topicArn!;
    case 'flap-table':
      return scopes.flapTableArn!;
  }
}

/** One statement per resource scope, actions sorted so the template is stable. */
export function statementsFor(
  actions: readonly string[],
  declaredBy: string,
  scopes: PermissionScopes,
): iam.PolicyStatement[] {
  const byScope = new Map<ResourceScope, Set<string>>();
  for (const action of actions) {
    const scope = resourceScopeOf(action, declaredBy, scopes);
    const set = byScope.get(scope) ?? new Set<string>();
    set.add(action);
    byScope.set(scope, set);
  }
  return [...byScope.entries()].map(
    ([scope, set]) => new iam.PolicyStatement({ actions: [...set].sort(), resources: [resourceArn(scope, scopes)] }),
  );
}

/** In notify mode the remediation Lambda must not be able to change any bucket: drop S3 writes. */
export function isS3WriteAction(action: string): boolean {
  return /^s3:(Put|Delete|Create|Update|Restore)/.test(action);
}
