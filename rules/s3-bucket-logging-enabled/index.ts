/** The rule: its metadata (rule.ts) bound to its pure decision (evaluate.ts). */
import type { BucketRuleDefinition } from '../../model/rule-definition';
import { evaluateLogging, type LoggingParameters } from './evaluate';
import { metadata } from './rule';

export const rule: BucketRuleDefinition<LoggingParameters> = { ...metadata, evaluate: evaluateLogging };
