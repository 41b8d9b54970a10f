/**
 * The rules as data, without their evaluation code, in registry order: what the response Lambdas need to know about
 * each rule (which action fixes it) without bundling every rule's evaluate.ts. rules/index.ts binds each entry to its
 * evaluation; a test keeps the two lists the same.
 */
import type { AnyRuleMetadata } from '../model/rule-definition';
import { metadata as accountLevelPublicAccessBlocked } from './s3-account-level-public-access-blocked/rule';
import { metadata as bucketAclProhibited } from './s3-bucket-acl-prohibited/rule';
import { metadata as bucketCrossAccountAccessProhibited } from './s3-bucket-cross-account-access-prohibited/rule';
import { metadata as bucketLevelPublicAccessBlocked } from './s3-bucket-level-public-access-blocked/rule';
import { metadata as bucketLoggingEnabled } from './s3-bucket-logging-enabled/rule';
import { metadata as bucketPublicAccessProhibited } from './s3-bucket-public-access-prohibited/rule';
import { metadata as bucketSslRequestsOnly } from './s3-bucket-ssl-requests-only/rule';
import { metadata as bucketVersioningEnabled } from './s3-bucket-versioning-enabled/rule';

export const RULE_CATALOG: readonly AnyRuleMetadata[] = [
  bucketPublicAccessProhibited,
  bucketLevelPublicAccessBlocked,
  accountLevelPublicAccessBlocked,
  bucketAclProhibited,
  bucketVersioningEnabled,
  bucketCrossAccountAccessProhibited,
  bucketLoggingEnabled,
  bucketSslRequestsOnly,
];
