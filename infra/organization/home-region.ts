/**
 * The home-Region switch. A StackSet deploys ONE template to every Region, and a single account may deploy the
 * same stack to several Regions: the account-wide parts (the account-level Block Public Access rule, the trail and
 * its console sign-in and IAM alarms) must exist once per account, in its home Region. They carry the CloudFormation
 * Condition `IsHomeRegion` (`AWS::Region` equals the home Region); bucket rules and the S3 fast path are in every
 * Region.
 *
 * Applied to the finished template (plain JSON): the seeds are named by logical id, and every resource that refers
 * to a conditional one (Ref, Fn::GetAtt, Fn::Sub, DependsOn), and every output that does, becomes conditional too,
 * so the template never refers to a resource that is not created.
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { BucketGuard } from '../bucketguard';

export const HOME_REGION_CONDITION = 'IsHomeRegion';

/** The rules whose only subject is the account (one evaluation per account, not per Region). */
export const ACCOUNT_WIDE_RULES: readonly string[] = ['s3-account-level-public-access-blocked'];

export interface CfnTemplate {
  Conditions?: Record<string, unknown>;
  Resources?: Record<string, { Condition?: string; DependsOn?: string | string[]; [key: string]: unknown }>;
  Outputs?: Record<string, { Condition?: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** Logical ids a value refers to (Ref, Fn::GetAtt, ${Name} / ${Name.Attr} inside Fn::Sub). */
function referencesOf(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencesOf(v, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') into.add(v);
      else if (key === 'Fn::GetAtt') {
        if (Array.isArray(v) && typeof v[0] === 'string') into.add(v[0]);
        else if (typeof v === 'string') into.add(v.split('.')[0]);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        if (typeof text === 'string') for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) into.add(m[1]);
        if (Array.isArray(v)) referencesOf(v[1], into);
      } else referencesOf(v, into);
    }
  }
  return into;
}

/**
 * Puts `seeds` and everything that refers to them under the home-Region condition. Returns the template (changed
 * in place) and the logical ids made conditional. A seed that is not in the template is an error (a renamed
 * construct must not silently leave an account-wide resource in every Region).
 */
export function applyHomeRegion(
  template: CfnTemplate,
  homeRegion: string,
  seeds: readonly string[],
): { template: CfnTemplate; conditional: string[] } {
  const resources = template.Resources ?? {};
  for (const seed of seeds) {
    if (!(seed in resources)) throw new Error(`home Region: no resource ${seed} in the template`);
  }
  const conditional = new Set(seeds);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, resource] of Object.entries(resources)) {
      if (conditional.has(id)) continue;
      const refs = referencesOf(resource, new Set());
      for (const dep of [resource.DependsOn ?? []].flat()) refs.add(dep);
      if ([...refs].some((ref) => conditional.has(ref))) {
        conditional.add(id);
        grew = true;
      }
    }
  }
  for (const id of conditional) {
    const resource = resources[id];
    if (resource.Condition !== undefined && resource.Condition !== HOME_REGION_CONDITION) {
      throw new Error(`home Region: ${id} already has the condition ${resource.Condition}`);
    }
    resource.Condition = HOME_REGION_CONDITION;
  }
  for (const output of Object.values(template.Outputs ?? {})) {
    if ([...referencesOf(output, new Set())].some((ref) => conditional.has(ref))) {
      output.Condition = HOME_REGION_CONDITION;
    }
  }
  template.Conditions = {
    ...template.Conditions,
    [HOME_REGION_CONDITION]: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, homeRegion] },
  };
  return { template, conditional: [...conditional].sort() };
}

function logicalIdsUnder(stack: Stack, scope: IConstruct | undefined): string[] {
  if (!scope) return [];
  return scope.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c))
    .map((r) => stack.resolve(r.logicalId) as string);
}

/**
 * The account-wide resources of a guard: the trail path (trail, its bucket, key, log group, metric filters,
 * alarms), the access-log bucket when only the trail uses it, and the account-wide rules (function, role, log
 * group, permission, Config rule).
 */
export function accountWideSeeds(guard: BucketGuard): string[] {
  const stack = Stack.of(guard);
  const seeds = [...logicalIdsUnder(stack, guard.trailAlarms)];
  if (guard.accessLogsBucket && !guard.recorder) seeds.push(...logicalIdsUnder(stack, guard.accessLogsBucket));
  for (const deployment of guard.rules.filter((r) => ACCOUNT_WIDE_RULES.includes(r.rule.id))) {
    seeds.push(...logicalIdsUnder(stack, deployment.function), ...logicalIdsUnder(stack, deployment.configRule));
    const selfInvoke = guard.node.tryFindChild(`SelfInvoke-${deployment.rule.id}`);
    seeds.push(...logicalIdsUnder(stack, selfInvoke));
  }
  return [...new Set(seeds)];
}
