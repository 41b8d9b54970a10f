/**
 * The rule registry: the only place a rule is registered. infra builds one Config rule + Lambda per entry, the CLI
 * evaluates with every entry. Each Lambda imports only its own rule (handler.ts), never this file.
 */

import type { RuleDefinition } from '../model/rule-definition';
import { rule as accountLevelPublicAccessBlocked } from './s3-account-level-public-access-blocked';
import { rule as bucketAclProhibited } from './s3-bucket-acl-prohibited';
import { rule as bucketCrossAccountAccessProhibited } from './s3-bucket-cross-account-access-prohibited';
import { rule as bucketLevelPublicAccessBlocked } from './s3-bucket-level-public-access-blocked';
import { rule as bucketLoggingEnabled } from './s3-bucket-logging-enabled';
import { rule as bucketPublicAccessProhibited } from './s3-bucket-public-access-prohibited';
import { rule as bucketSslRequestsOnly } from './s3-bucket-ssl-requests-only';
import { rule as bucketVersioningEnabled } from './s3-bucket-versioning-enabled';

export const RULES: readonly RuleDefinition[] = [
  bucketPublicAccessProhibited,
  bucketLevelPublicAccessBlocked,
  accountLevelPublicAccessBlocked,
  bucketAclProhibited,
  bucketVersioningEnabled,
  bucketCrossAccountAccessProhibited,
  bucketLoggingEnabled,
  bucketSslRequestsOnly,
];

/**
 * The rule with this id, or the rule a deployed Config rule name refers to: the id embedded at `-` boundaries, e.g.
 * `bucketguard-s3-bucket-versioning-enabled` or `acme-s3-bucket-versioning-enabled-conformance-pack-x1`.
 * Case-insensitive; the longest matching id wins.
 */
export function findRule(idOrConfigRuleName: string): RuleDefinition | undefined {
  const name = idOrConfigRuleName.trim().toLowerCase();
  if (name === '') return undefined;
  let best: RuleDefinition | undefined;
  for (const rule of RULES) {
    if (!containsAtBoundary(name, rule.id) || (best && best.id.length >= rule.id.length)) continue;
    best = rule;
  }
  return best;
}

function containsAtBoundary(name: string, id: string): boolean {
  for (let at = name.indexOf(id); at >= 0; at = name.indexOf(id, at + 1)) {
    const before = at === 0 || name[at - 1] === '-';
    const end = at + id.length;
    const after = end === name.length || name[end] === '-';
    if (before && after) return true;
  }
  return false;
}
