/** The real registries, as the deployed app uses them. */
import { ACTIONS, notifyPermissions, remediationPermissions } from '../remediation';
import { RULES } from '../rules';
import { rulePermissions } from '../rules/config-protocol/permissions';
import type { BucketGuardRegistry } from './registry';

export const DEFAULT_REGISTRY: BucketGuardRegistry = {
  rules: RULES,
  rulePermissions: (rule) => rulePermissions(rule as (typeof RULES)[number]),
  actions: ACTIONS,
  remediationPermissions: (enabled) => remediationPermissions([...enabled]),
  notifyPermissions: () => notifyPermissions(),
};
