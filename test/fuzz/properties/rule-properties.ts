/**
 * Properties every rule Lambda handler must keep for any input. Shared by the `npm run fuzz` suite (100,000 cases per
 * property by default) and the fuzz-lite suite in `npm test` (a few thousand); only the run count differs.
 */
import fc from 'fast-check';
import { normalizeConfigurationItem } from '../../../model/normalize';
import { ACCOUNT_ID, type Json, OTHER_ACCOUNT_ID, validBucketNameArb } from '../../support/basics';
import {
  changeInvokingEvent,
  configInvocation,
  configInvocationArb,
  ruleParametersArb,
  scheduledInvokingEvent,
} from '../../support/config-invocation-arbitraries';
import {
  accountBpaItemArb,
  bpaFlagsArb,
  bucketItem,
  bucketItemPartsArb,
  configurationItemArb,
  hugePolicy,
  toApiModel,
} from '../../support/config-item-arbitraries';
import { fixturesOfKind, loadFixtures } from '../../support/fixtures';
import {
  applyMutation,
  applyMutations,
  garbageEventArb,
  isDamage,
  type Mutation,
  mutationArb,
  mutationSite,
} from '../../support/json-mutator';
import { assertProperty, type PropertyRunOptions } from '../harness/assert-property';
import {
  assertNoViolations,
  checkDeliveredCount,
  checkLoggedWithReason,
  checkOutcomeTyped,
  checkPutEvaluations,
  receivedStrings,
} from '../harness/checks';
import { type InvocationResult, type RuleHarness, type RuleWorld, resourceIdOf } from '../harness/rule-harness';

// ---------------------------------------------------------------------------------------------------------------
// Worlds: what AWS answers

const accountBpaAnswerArb: fc.Arbitrary<RuleWorld['accountBpa']> = fc.oneof(
  bpaFlagsArb.map((flags) => ({ kind: 'flags' as const, flags })),
  fc.constant({ kind: 'none' as const }),
  fc.constantFrom(
    { kind: 'error' as const, code: 'AccessDenied', status: 403 },
    { kind: 'error' as const, code: 'InternalError', status: 500 },
  ),
);

const sweepItemArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: bucketItemPartsArb({ name: validBucketNameArb }).map((p) => toApiModel(bucketItem(p))), weight: 8 },
  {
    arbitrary: fc
      .tuple(bucketItemPartsArb({ name: validBucketNameArb }), mutationArb)
      .map(([p, m]) => applyMutation(toApiModel(bucketItem(p)) as Json, m)),
    weight: 2,
  },
);

/** Distinct resource ids in a sweep (ListDiscoveredResources never lists one twice). */
function distinctSweep(items: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  return items.filter((item) => {
    const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).resourceId : undefined;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export const ruleWorldArb = (historyItem?: Json): fc.Arbitrary<RuleWorld> =>
  fc.record({
    history: fc.oneof(
      {
        arbitrary:
          historyItem === undefined
            ? fc.constant({ kind: 'empty' as const })
            : fc.oneof(
                {
                  arbitrary: fc.constant({
                    kind: 'item' as const,
                    item: toApiModel(historyItem as Record<string, Json>),
                  }),
                  weight: 4,
                },
                {
                  arbitrary: mutationArb.map((m) => ({
                    kind: 'item' as const,
                    item: applyMutation(toApiModel(historyItem as Record<string, Json>) as Json, m),
                  })),
                  weight: 2,
                },
              ),
        weight: 8,
      },
      { arbitrary: fc.constantFrom({ kind: 'empty' as const }, { kind: 'not-discovered' as const }), weight: 2 },
    ),
    // Only scheduled events and account-BPA changes read the sweep; the sweep property covers it in depth.
    sweep: fc.oneof(
      { arbitrary: fc.constant<unknown[]>([]), weight: 3 },
      { arbitrary: fc.array(sweepItemArb, { maxLength: 4 }).map(distinctSweep), weight: 1 },
    ),
    accountBpa: accountBpaAnswerArb,
    accountItem: fc.option(
      accountBpaItemArb().map((item) => toApiModel(item)),
      { nil: undefined },
    ),
    ownership: fc.constantFrom(
      'BucketOwnerEnforced',
      'BucketOwnerPreferred',
      'ObjectWriter',
      'none',
      'error',
      'garbage',
    ),
  });

// ---------------------------------------------------------------------------------------------------------------
// Inputs

export interface RuleCase {
  readonly event: unknown;
  readonly world: RuleWorld;
  readonly label: string;
}

/** Recorded invocations and configuration items from events/, re-targeted at the rule under test. */
function fixtureInvocations(ruleName: string): Json[] {
  const fixtures = loadFixtures();
  const invocations = fixturesOfKind('config-invocation', fixtures).map((f) => ({
    ...(f.json as Record<string, Json>),
    configRuleName: ruleName,
  }));
  const items = fixturesOfKind('configuration-item', fixtures).map((f) =>
    configInvocation(changeInvokingEvent(f.json), { ruleName }),
  );
  return [...invocations, ...items];
}

/** A 10,000-statement policy, or a 1 MB item (huge supplementary value), on an otherwise valid change event. */
const oversizedInputArb = (ruleName: string): fc.Arbitrary<Json> =>
  fc
    .tuple(bucketItemPartsArb({ name: validBucketNameArb }), fc.boolean(), fc.nat({ max: 9_999 }))
    .map(([parts, policy, publicAt]) => {
      const item = bucketItem(policy ? { ...parts, policy: hugePolicy(parts.name, 10_000, publicAt) } : parts);
      if (!policy) {
        (item.supplementaryConfiguration as Record<string, Json>).BucketLoggingConfiguration = {
          destinationBucketName: 'x'.repeat(1_048_576),
          logFilePrefix: null,
        };
      }
      return configInvocation(changeInvokingEvent(item), { ruleName });
    });

export const ruleCaseArb = (ruleName: string): fc.Arbitrary<RuleCase> => {
  const fixtures = fixtureInvocations(ruleName);
  const generated = configInvocationArb(ruleName).chain((inv) =>
    ruleWorldArb(inv.item).map((world) => ({ event: inv.event as Json, world, label: `generated ${inv.kind}` })),
  );
  const withMutations = (base: fc.Arbitrary<{ event: Json; world: RuleWorld; label: string }>) =>
    fc.tuple(base, fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([c, mutations]) => ({
      ...c,
      event: applyMutations(c.event, mutations),
      label: `${c.label} mutated`,
    }));
  const fromFixtures =
    fixtures.length > 0
      ? fc
          .tuple(fc.constantFrom(...fixtures), ruleWorldArb())
          .map(([event, world]) => ({ event, world, label: 'fixture' }))
      : generated;
  return fc.oneof(
    { arbitrary: generated, weight: 12 },
    { arbitrary: withMutations(generated), weight: 40 },
    { arbitrary: fromFixtures, weight: 4 },
    { arbitrary: withMutations(fromFixtures), weight: 16 },
    {
      arbitrary: fc
        .tuple(garbageEventArb, ruleWorldArb())
        .map(([event, world]) => ({ event, world, label: 'garbage' })),
      weight: 4,
    },
    {
      // 10,000-statement policies and 1 MB items: about 1 case in 77 (1,300 in a 100,000-case run).
      arbitrary: fc
        .tuple(oversizedInputArb(ruleName), ruleWorldArb())
        .map(([event, world]) => ({ event, world, label: 'oversized input' })),
      weight: 1,
    },
  );
};

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function tokenOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const token = (event as Record<string, unknown>).resultToken;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

function parseMaybe(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The configuration item of a change event, as the event carries it (undefined when it has none). */
export function changeItemOf(event: unknown): unknown {
  if (typeof event !== 'object' || event === null) return undefined;
  const invoking = parseMaybe((event as Record<string, unknown>).invokingEvent);
  if (typeof invoking !== 'object' || invoking === null) return undefined;
  const record = invoking as Record<string, unknown>;
  return record.messageType === 'ConfigurationItemChangeNotification' ? record.configurationItem : undefined;
}

function malformedItem(item: unknown): string | undefined {
  if (item === undefined || item === null) return undefined;
  try {
    normalizeConfigurationItem(item, 'config-invocation');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** `receivedStrings` is costly on 1 MB inputs: look up the cheap candidates first, walk everything only on a miss. */
function lazyReceived(event: unknown, world: RuleWorld, item: unknown): ReadonlySet<string> {
  const cheap = new Set<string>([ACCOUNT_ID, OTHER_ACCOUNT_ID]);
  for (const source of [item, ...world.sweep]) {
    const record = typeof source === 'object' && source !== null ? (source as Record<string, unknown>) : {};
    for (const key of ['resourceId', 'resourceType', 'awsAccountId', 'accountId']) {
      if (typeof record[key] === 'string') cheap.add(record[key] as string);
    }
  }
  let full: Set<string> | undefined;
  const all = (): Set<string> => {
    if (full === undefined) full = receivedStrings(event, world);
    return full;
  };
  return {
    has: (value: string) => cheap.has(value) || all().has(value),
    [Symbol.iterator]: () => all()[Symbol.iterator](),
  } as ReadonlySet<string>;
}

/** The invariants of one invocation (P1 typed outcome, P2 valid PutEvaluations, P4 delivered count, P5 logged). */
export function invocationViolations(c: RuleCase, result: InvocationResult, allowDeliveryError = false): string[] {
  const problems = [...checkOutcomeTyped(result, allowDeliveryError), ...checkDeliveredCount(result)];
  const token = tokenOf(c.event);
  const item = changeItemOf(c.event);
  if (token !== undefined) {
    problems.push(
      ...checkPutEvaluations(result.puts, { resultToken: token, received: lazyReceived(c.event, c.world, item) }),
    );
  } else if (result.puts.length > 0) {
    problems.push('PutEvaluations called for an event without a resultToken');
  }
  if (result.error !== undefined) problems.push(...checkLoggedWithReason(result, 'the invocation failed'));
  if (result.report?.problem !== undefined)
    problems.push(...checkLoggedWithReason(result, 'the event produced no evaluation'));
  const flagged = result.puts
    .flatMap((p) => p.Evaluations ?? [])
    .filter((e) => /^(Malformed configuration item|Invalid rule parameters)/.test(e.Annotation ?? ''));
  if (flagged.length > 0)
    problems.push(...checkLoggedWithReason(result, `NOT_APPLICABLE "${flagged[0].Annotation?.slice(0, 60)}"`));
  for (const e of flagged)
    if (e.ComplianceType !== 'NOT_APPLICABLE')
      problems.push(`"${e.Annotation?.slice(0, 60)}" reported as ${e.ComplianceType}`);
  // Malformed input: the item cannot be normalised -> its resource is NOT_APPLICABLE (or the invocation fails), never judged.
  const problem = malformedItem(item);
  if (problem !== undefined && result.error === undefined) {
    const id = (item as Record<string, unknown> | undefined)?.resourceId;
    for (const e of result.puts.flatMap((p) => p.Evaluations ?? [])) {
      if (e.ComplianceResourceId === id && e.ComplianceType !== 'NOT_APPLICABLE') {
        problems.push(`malformed item (${problem.slice(0, 120)}) judged ${e.ComplianceType}`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Properties

/** P1/P2/P4/P5 over generated, mutated, garbage, fixture-based and oversized events. */
export async function runAnyInputProperty(harness: RuleHarness, options: PropertyRunOptions): Promise<number> {
  const ruleName = `bucketguard-${harness.rule.id}`;
  let cases = 0;
  await assertProperty(
    fc.asyncProperty(ruleCaseArb(ruleName), async (c) => {
      cases++;
      const result = await harness.invoke(c.event, c.world);
      assertNoViolations(invocationViolations(c, result), () => ({ label: c.label, event: c.event, world: c.world }));
    }),
    options,
  );
  return cases;
}

/** The verdict for one resource id in an invocation, if any. */
function verdictFor(result: InvocationResult, resourceId: unknown): string | undefined {
  for (const put of result.puts) {
    for (const e of put.Evaluations ?? []) if (e.ComplianceResourceId === resourceId) return e.ComplianceType;
  }
  return undefined;
}

export interface DamageCase {
  readonly base: Record<string, Json>;
  readonly damaged: Json;
  readonly mutations: readonly Mutation[];
  readonly allDamage: boolean;
  readonly ruleParameters: Json | undefined;
  readonly world: RuleWorld;
}

/** A configuration item (generated or recorded) and damage applied inside it. */
export const damageCaseArb = (): fc.Arbitrary<DamageCase> => {
  const fixtureItems = fixturesOfKind('configuration-item').map((f) => f.json as Record<string, Json>);
  const baseArb: fc.Arbitrary<Record<string, Json>> =
    fixtureItems.length > 0
      ? fc.oneof(
          { arbitrary: configurationItemArb, weight: 4 },
          { arbitrary: fc.constantFrom(...fixtureItems), weight: 1 },
        )
      : configurationItemArb;
  return fc
    .record({
      base: baseArb,
      mutations: fc.array(mutationArb, { minLength: 1, maxLength: 2 }),
      ruleParameters: ruleParametersArb,
      world: ruleWorldArb(),
    })
    .map(({ base, mutations, ruleParameters, world }) => {
      let damaged: Json = base;
      let allDamage = true;
      for (const m of mutations) {
        const site = mutationSite(damaged, m);
        if (!site || !isDamage(site, m)) allDamage = false;
        damaged = applyMutation(damaged, m);
      }
      return { base, damaged, mutations, allDamage, ruleParameters, world };
    });
};

/**
 * P3: damage never makes a resource look better. For a configuration item damaged inside (a value of the wrong type,
 * cut or re-encoded JSON, a structural key removed or renamed), the verdict for the resource may become NON_COMPLIANT
 * or NOT_APPLICABLE, but it is COMPLIANT only if the undamaged item is COMPLIANT too.
 */
export async function runDamageProperty(
  harness: RuleHarness,
  options: PropertyRunOptions,
): Promise<{ cases: number; damaged: number }> {
  const ruleName = `bucketguard-${harness.rule.id}`;
  let cases = 0;
  let damaged = 0;
  await assertProperty(
    fc.asyncProperty(damageCaseArb(), async (c) => {
      cases++;
      if (!c.allDamage) return;
      damaged++;
      const options = { ruleName, ruleParameters: c.ruleParameters };
      const baseEvent = configInvocation(changeInvokingEvent(c.base), options);
      const damagedEvent = configInvocation(changeInvokingEvent(c.damaged), options);
      const before = await harness.invoke(baseEvent, c.world);
      const id = c.base.resourceId;
      const baseVerdict = verdictFor(before, id);
      const after = await harness.invoke(damagedEvent, c.world);
      const problems = invocationViolations({ event: damagedEvent, world: c.world, label: 'damaged' }, after);
      const damagedVerdict = verdictFor(after, id);
      if (damagedVerdict === 'COMPLIANT' && baseVerdict !== 'COMPLIANT') {
        const annotation = after.puts
          .flatMap((p) => p.Evaluations ?? [])
          .find((e) => e.ComplianceResourceId === id)?.Annotation;
        problems.push(`damage turned ${baseVerdict ?? '(no evaluation)'} into COMPLIANT ("${annotation}")`);
      }
      assertNoViolations(problems, () => ({
        mutations: c.mutations,
        base: c.base,
        damaged: c.damaged,
        parameters: c.ruleParameters,
        world: c.world,
      }));
    }),
    options,
  );
  return { cases, damaged };
}

/**
 * P6: a periodic sweep never loses a bucket. Every bucket ListDiscoveredResources lists gets exactly one evaluation,
 * or (when its item is unusable) a WARN/ERROR log line naming the problem. Bucket rules only.
 */
export async function runSweepProperty(harness: RuleHarness, options: PropertyRunOptions): Promise<number> {
  const ruleName = `bucketguard-${harness.rule.id}`;
  let cases = 0;
  await assertProperty(
    fc.asyncProperty(ruleWorldArb(), ruleParametersArb, async (world, ruleParameters) => {
      cases++;
      const event = configInvocation(scheduledInvokingEvent(ACCOUNT_ID), { ruleName, ruleParameters });
      const result = await harness.invoke(event, world);
      const problems = invocationViolations({ event, world, label: 'sweep' }, result);
      const counts = new Map<string, number>();
      for (const e of result.puts.flatMap((p) => p.Evaluations ?? [])) {
        if (e.ComplianceResourceType === 'AWS::S3::Bucket')
          counts.set(String(e.ComplianceResourceId), (counts.get(String(e.ComplianceResourceId)) ?? 0) + 1);
      }
      for (const item of world.sweep) {
        const id = resourceIdOf(item);
        if (id === undefined || id === '') continue;
        const n = counts.get(id) ?? 0;
        if (n > 1) problems.push(`bucket ${JSON.stringify(id)} evaluated ${n} times in one sweep`);
        if (n === 0 && result.logs.reasoned().length === 0 && result.error === undefined) {
          problems.push(`bucket ${JSON.stringify(id)} was listed but neither evaluated nor logged`);
        }
      }
      assertNoViolations(problems, () => ({ world, ruleParameters }));
    }),
    options,
  );
  return cases;
}

export interface RuleFuzzCounts {
  readonly anyInput: number;
  readonly damage: number;
  /** Damage cases whose every mutation was damage (the ones P3 judged). */
  readonly damaged: number;
  readonly sweep: number;
  readonly total: number;
}

/**
 * All rule properties for one handler, `total` generated cases split 60% any input, 30% damage, 10% sweeps
 * (account rules have no sweep: 70% / 30%).
 */
export async function runRuleHandlerFuzz(harness: RuleHarness, total: number, seed: number): Promise<RuleFuzzCounts> {
  const sweepRuns = harness.rule.target === 'bucket' ? Math.round(total * 0.1) : 0;
  const damageRuns = Math.round(total * 0.3);
  const anyRuns = total - sweepRuns - damageRuns;
  const anyInput = await runAnyInputProperty(harness, { numRuns: anyRuns, seed });
  const { cases: damage, damaged } = await runDamageProperty(harness, { numRuns: damageRuns, seed: seed + 1 });
  const sweep = sweepRuns > 0 ? await runSweepProperty(harness, { numRuns: sweepRuns, seed: seed + 2 }) : 0;
  return { anyInput, damage, damaged, sweep, total: anyInput + damage + sweep };
}
