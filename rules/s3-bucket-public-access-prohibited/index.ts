/** The rule: its metadata (rule.ts) bound to its pure decision (evaluate.ts). */
import type { BucketRuleDefinition } from '../../model/rule-definition';
import { evaluatePublicAccess, type PublicAccessParameters } from './evaluate';
import { metadata } from './rule';

export const rule: BucketRuleDefinition<PublicAccessParameters> = { ...metadata, evaluate: evaluatePublicAccess };
