/** The IAM actions of a rule's Lambda, from what the adapter calls for every rule and what the rule declares. */
import type { RuleDefinition } from '../../model/rule-definition';

/** What every rule Lambda calls through this adapter, whatever the rule. */
export const BASE_PERMISSIONS: readonly string[] = [
  'config:BatchGetResourceConfig',
  'config:GetResourceConfigHistory',
  'config:ListDiscoveredResources',
  'config:PutEvaluations',
  // The sweep's advanced query (sweep.ts); without it the sweep lists and batch-reads instead.
  'config:SelectResourceConfig',
];

/**
 * A bucket rule's sweep too long for one invocation continues in a new invocation of the same function
 * (continuation.ts). Granted by infra on the function's own ARN only, not through the registry's statements.
 */
export const SWEEP_CONTINUATION_ACTION = 'lambda:InvokeFunction';

/** IAM actions of a rule's Lambda: the base set, what the adapter fetches for the rule's `needs`, and the rule's own. */
export function rulePermissions(rule: RuleDefinition): string[] {
  const fromNeeds = [
    ...(rule.needs.accountBpa ? ['s3:GetAccountPublicAccessBlock'] : []),
    ...(rule.needs.ownership ? ['s3:GetBucketOwnershipControls'] : []),
  ];
  return [...new Set([...BASE_PERMISSIONS, ...fromNeeds, ...rule.permissions])].sort();
}
