/**
 * The remediation registry: every action as data (infra builds least-privilege IAM from `permissions`), the
 * permission sets of the two responder Lambdas, and the entry points `bucketguard scan --remediate` calls.
 */
import { ACTION_IDS, type ActionDefinition, type ActionId } from './actions/action-definition';

export const ACTIONS: readonly ActionDefinition[] = [
  {
    id: 'block-public-access',
    title: 'Turn on bucket-level S3 Block Public Access (the configured flags; flags already on stay on)',
    target: 'bucket',
    optIn: false,
    permissions: ['s3:GetBucketPublicAccessBlock', 's3:GetBucketTagging', 's3:PutBucketPublicAccessBlock'],
  },
  {
    id: 'block-account-public-access',
    title: 'Turn on account-level S3 Block Public Access (overrides every bucket, exempt ones included)',
    target: 'account',
    optIn: false,
    permissions: ['s3:GetAccountPublicAccessBlock', 's3:PutAccountPublicAccessBlock'],
  },
  {
    id: 'enable-versioning',
    title: 'Enable S3 versioning (never touches MFA delete; one-way: versioning can then only be suspended)',
    target: 'bucket',
    optIn: true,
    permissions: ['s3:GetBucketTagging', 's3:GetBucketVersioning', 's3:PutBucketVersioning'],
  },
];

export function findAction(id: ActionId): ActionDefinition {
  const action = ACTIONS.find((candidate) => candidate.id === id);
  if (!action) throw new Error(`No remediation action ${id}; known: ${ACTION_IDS.join(', ')}`);
  return action;
}

/** What the notify Lambda calls: it only publishes. (A KMS-encrypted topic also needs kms:GenerateDataKey and kms:Decrypt on its key.) */
export function notifyPermissions(): string[] {
  return ['sns:Publish'];
}

/**
 * The re-check after a stopped fix: one CreateSchedule in bucketguard's schedule group, passing the Scheduler role
 * (to scheduler.amazonaws.com only). infra/recheck.ts grants these with their resources and condition.
 */
export const RECHECK_PERMISSIONS = ['scheduler:CreateSchedule', 'iam:PassRole'] as const;

/**
 * What the remediation Lambda calls with these actions enabled: each action's own list, sns:Publish for the email,
 * dynamodb:UpdateItem on the anti-flapping table (one atomic counter write; it never reads the table otherwise), and
 * the re-check's RECHECK_PERMISSIONS.
 */
export function remediationPermissions(enabled: readonly ActionId[]): string[] {
  const permissions = new Set<string>(['sns:Publish', 'dynamodb:UpdateItem', ...RECHECK_PERMISSIONS]);
  for (const id of enabled) for (const permission of findAction(id).permissions) permissions.add(permission);
  return [...permissions].sort();
}

export type { ActionDefinition, ActionId, RemediationMode } from './actions/action-definition';
export { ACTION_IDS } from './actions/action-definition';
export type { Outcome, OutcomeStatus } from './actions/outcome';
export {
  DynamoDbFlapStore,
  FLAP_TABLE_PARTITION_KEY,
  FLAP_TABLE_TTL_ATTRIBUTE,
  type FlapStore,
  InMemoryFlapStore,
} from './flap-store/flap-store';
export {
  type BucketRef,
  type RemediateAccountDeps,
  type RemediateBucketDeps,
  type RemediateBucketOptions,
  type RemediateOptions,
  remediateAccount,
  remediateBucket,
} from './response/engine';
