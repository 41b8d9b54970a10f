/** The rule: its metadata (rule.ts) bound to its pure decision (evaluate.ts). */
import type { BucketRuleDefinition } from '../../model/rule-definition';
import { evaluateVersioning, type VersioningParameters } from './evaluate';
import { metadata } from './rule';

export const rule: BucketRuleDefinition<VersioningParameters> = { ...metadata, evaluate: evaluateVersioning };
