/**
 * Builders shared by the policy test vectors: one Allow statement with overrides, its verdict, a bucket from a recorded
 * configuration item.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseStatement } from '../../exposure/policy';
import { normalizeConfigurationItem } from '../../model/normalize';
import type { BucketState, ConditionBlock, PolicyStatement } from '../../model/types';

const EVENTS = join(__dirname, '../../events/config-items');

export function bucketFromFixture(file: string): BucketState {
  const state = normalizeConfigurationItem(JSON.parse(readFileSync(join(EVENTS, file), 'utf8')));
  if (state.kind !== 'bucket') throw new Error(`${file} is not a bucket item`);
  return state;
}

export function statement(overrides: Partial<PolicyStatement> = {}): PolicyStatement {
  return {
    Sid: 'S',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::b/*',
    ...overrides,
  };
}

export const verdictOf = (overrides: Partial<PolicyStatement>) => analyseStatement(statement(overrides), 0);
export const withCondition = (Condition: ConditionBlock) => verdictOf({ Condition });

// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template placeholder
export const POLICY_VARIABLE = '${aws:PrincipalAccount}';
export const OWNER_CANONICAL = '3f1c5a7e9b2d4f6081a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5f7';
