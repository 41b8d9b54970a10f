/** The rule: its metadata (rule.ts) bound to its pure decision (evaluate.ts). */
import type { BucketRuleDefinition } from '../../model/rule-definition';
import { evaluateSslRequestsOnly, type SslRequestsOnlyParameters } from './evaluate';
import { metadata } from './rule';

export const rule: BucketRuleDefinition<SslRequestsOnlyParameters> = { ...metadata, evaluate: evaluateSslRequestsOnly };
