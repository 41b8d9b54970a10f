/** The rule: its metadata (rule.ts) bound to its pure decision (evaluate.ts). */
import type { AccountRuleDefinition } from '../../model/rule-definition';
import { type AccountLevelBpaParameters, evaluateAccountLevelBpa } from './evaluate';
import { metadata } from './rule';

export const rule: AccountRuleDefinition<AccountLevelBpaParameters> = {
  ...metadata,
  evaluate: evaluateAccountLevelBpa,
};
