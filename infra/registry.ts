/**
 * What infra needs from the rule and action registries. The construct takes this as a prop so tests can feed a
 * small registry; the app passes the real one (infra/default-registry.ts).
 */

import type { RuleMetadata } from '../model/rule-definition';
import type { ActionDefinition, ActionId } from '../remediation/actions/action-definition';

/** A rule as infra sees it: its metadata, plus parseParameters so bad parameter overrides fail at synth. */
export interface RegisteredRule extends RuleMetadata {
  parseParameters(raw: Readonly<Record<string, string>>): unknown;
}

export interface BucketGuardRegistry {
  readonly rules: readonly RegisteredRule[];
  /** Every IAM action the rule's Lambda calls (shared adapter base set + the rule's own). */
  rulePermissions(rule: RegisteredRule): readonly string[];
  readonly actions: readonly ActionDefinition[];
  /** Every IAM action the remediation Lambda calls with these actions enabled. */
  remediationPermissions(enabled: readonly ActionId[]): readonly string[];
  /** Every IAM action the notify Lambda calls. */
  notifyPermissions(): readonly string[];
}
