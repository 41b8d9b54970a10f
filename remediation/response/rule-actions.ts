/**
 * bucketguard rule id -> the action that fixes it. Mirrors RuleMetadata.remediation in rules/*\/rule.ts; kept as a
 * literal so the remediation Lambdas do not bundle every rule's evaluation code (cold start). A unit test fails
 * when this table and the rules registry disagree.
 */
import type { ActionId } from '../actions/action-definition';

export const RULE_ACTIONS: Readonly<Record<string, ActionId>> = {
  's3-bucket-public-access-prohibited': 'block-public-access',
  's3-bucket-level-public-access-blocked': 'block-public-access',
  's3-account-level-public-access-blocked': 'block-account-public-access',
  's3-bucket-versioning-enabled': 'enable-versioning',
};

/** Rules without an action still route (their findings are mailed by the notify Lambda). */
export const RULES_WITHOUT_ACTION: readonly string[] = [
  's3-bucket-acl-prohibited',
  's3-bucket-cross-account-access-prohibited',
];
