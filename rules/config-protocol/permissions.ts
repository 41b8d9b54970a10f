/**
 * The IAM actions of a rule's Lambda: exactly the Config calls the adapter makes for this rule's triggers and scope,
 * what it fetches for the rule's `needs`, and what the rule declares. A rule that never sweeps holds no
 * ListDiscoveredResources / SelectResourceConfig (issue 13: each role holds only what its rule calls).
 */
import type { RuleMetadata } from '../../model/rule-definition';

/** What every rule Lambda calls, whatever the rule: delivering its results. */
export const BASE_PERMISSIONS: readonly string[] = ['config:PutEvaluations'];

/** A change-triggered rule reads an oversized configuration item from Config (outside-reads.ts). */
export const CHANGE_PERMISSIONS: readonly string[] = ['config:GetResourceConfigHistory'];

/** The sweep (sweep.ts): the advanced query first, then list-and-batch-read. */
export const SWEEP_PERMISSIONS: readonly string[] = [
  'config:BatchGetResourceConfig',
  'config:ListDiscoveredResources',
  'config:SelectResourceConfig',
];

/** The account-level Block Public Access fallback read: its configuration item (outside-reads.ts readAccountBpa). */
export const ACCOUNT_BPA_ITEM_PERMISSION = 'config:BatchGetResourceConfig';

/**
 * A bucket rule's sweep too long for one invocation continues in a new invocation of the same function
 * (continuation.ts). Granted by infra on the function's own ARN only, not through the registry's statements.
 */
export const SWEEP_CONTINUATION_ACTION = 'lambda:InvokeFunction';

/**
 * Whether the rule's Lambda ever sweeps every recorded bucket (adapter.ts): a bucket rule does on its periodic trigger,
 * and on an account-level Block Public Access change when that resource type is in its scope.
 */
export function ruleSweeps(rule: Pick<RuleMetadata, 'resourceTypes' | 'triggers'>): boolean {
  if (!rule.resourceTypes.includes('AWS::S3::Bucket')) return false;
  return rule.triggers.periodic !== undefined || rule.resourceTypes.includes('AWS::S3::AccountPublicAccessBlock');
}

/** IAM actions of a rule's Lambda: what the adapter calls for this rule, for its `needs`, and the rule's own. */
export function rulePermissions(rule: RuleMetadata): string[] {
  const adapter = [
    ...BASE_PERMISSIONS,
    ...(rule.triggers.configurationChanges ? CHANGE_PERMISSIONS : []),
    ...(ruleSweeps(rule) ? SWEEP_PERMISSIONS : []),
    ...(rule.needs.accountBpa ? [ACCOUNT_BPA_ITEM_PERMISSION, 's3:GetAccountPublicAccessBlock'] : []),
    ...(rule.needs.ownership ? ['s3:GetBucketOwnershipControls'] : []),
  ];
  return [...new Set([...adapter, ...rule.permissions])].sort();
}
