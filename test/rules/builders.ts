/**
 * Small builders for rule tests: hand-built BucketStates, evaluation contexts, and the events/rules fixtures run
 * through the real normaliser. Canonical ids are made up; account ids are the documentation ones.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeConfigurationItem } from '../../model/normalize';
import {
  type AccountBpaState,
  type AclGrant,
  type BucketState,
  type EvaluationContext,
  type Fact,
  known,
  type PublicAccessBlockFlags,
} from '../../model/types';

export const OWNER_ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '123456789012';
/** Must match the ids in events/rules (made up, 64 hex digits). */
export const OWNER_CANONICAL_ID = '3f7a2c9e1b4d6a8f0c2e4b6d8a0c2e4f6a8b0d2c4e6f8a0b2c4d6e8f0a2b4c6d';
export const OTHER_CANONICAL_ID = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d';

export const NOW = new Date('2026-06-15T12:00:00.000Z');

export const ALL_ON: PublicAccessBlockFlags = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
export const ALL_OFF: PublicAccessBlockFlags = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

export const OWNER_GRANT: AclGrant = {
  grantee: { kind: 'canonicalUser', id: OWNER_CANONICAL_ID },
  permission: 'FULL_CONTROL',
};

/** A private, versioned bucket with everything known; override what the test is about. */
export function bucket(overrides: Partial<BucketState> = {}): BucketState {
  return {
    kind: 'bucket',
    name: 'example-bucket',
    accountId: OWNER_ACCOUNT,
    region: 'us-east-1',
    arn: 'arn:aws:s3:::example-bucket',
    source: 'config-invocation',
    status: 'OK',
    captureTime: '2026-05-04T09:12:44.381Z',
    policy: known(null),
    acl: known({ ownerId: OWNER_CANONICAL_ID, grants: [OWNER_GRANT] }),
    publicAccessBlock: known(null),
    versioning: known({ status: 'Enabled', mfaDelete: null }),
    ownership: known(null),
    tags: known({}),
    ...overrides,
  };
}

export function context(accountBpa: Fact<PublicAccessBlockFlags | null> = known(null), now = NOW): EvaluationContext {
  return { accountBpa, now };
}

const EVENTS = join(__dirname, '..', '..', 'events', 'rules');

/** The raw JSON of events/rules/<ruleId>/<file>. */
export function readFixture(ruleId: string, file: string): unknown {
  return JSON.parse(readFileSync(join(EVENTS, ruleId, file), 'utf8'));
}

/** A bucket fixture through the real normaliser. */
export function bucketFixture(ruleId: string, file: string): BucketState {
  const item = normalizeConfigurationItem(readFixture(ruleId, file));
  if (item.kind !== 'bucket') throw new Error(`${ruleId}/${file} is not a bucket item`);
  return item;
}

/** An AccountPublicAccessBlock fixture through the real normaliser. */
export function accountFixture(ruleId: string, file: string): AccountBpaState {
  const item = normalizeConfigurationItem(readFixture(ruleId, file));
  if (item.kind !== 'account') throw new Error(`${ruleId}/${file} is not an account BPA item`);
  return item;
}

/** The Lambda event AWS Config sends for a configuration change (config-formats.md §1/§1a), in TESTMODE. */
export function changeEvent(
  ruleId: string,
  configurationItem: unknown,
  ruleParameters = '{}',
): Record<string, unknown> {
  const item = configurationItem as { configurationItemCaptureTime?: string };
  return {
    version: '1.0',
    invokingEvent: JSON.stringify({
      configurationItemDiff: null,
      configurationItem,
      notificationCreationTime: item.configurationItemCaptureTime ?? '2026-05-04T09:13:00.000Z',
      messageType: 'ConfigurationItemChangeNotification',
      recordVersion: '1.3',
    }),
    ruleParameters,
    resultToken: 'TESTMODE',
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${OWNER_ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:us-east-1:${OWNER_ACCOUNT}:config-rule/config-rule-0a1b2c`,
    configRuleName: `bucketguard-${ruleId}`,
    configRuleId: 'config-rule-0a1b2c',
    accountId: OWNER_ACCOUNT,
    evaluationMode: 'DETECTIVE',
  };
}
