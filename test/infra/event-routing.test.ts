/**
 * EventBridge routing, checked with the synthesized patterns against every recorded EventBridge event in events/:
 * each event reaches exactly the rule for its kind when the Lambdas would act on it (or must report it as
 * unreadable), and nothing they would ignore is delivered, except S3 calls whose "only tightens" verdict needs
 * the request body. The Lambdas' own parser and router (remediation/triggers, remediation/response) are the reference.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMPLIANCE_METRIC_DIMENSIONS, COMPLIANCE_METRIC_PATTERN } from '../../infra/observability';
import { routingConfigOf } from '../../remediation/response/respond';
import { routeFinding } from '../../remediation/response/route';
import { loadResponseConfig } from '../../remediation/runtime/config';
import { parseTriggers } from '../../remediation/triggers/triggers';
import { matchesEventPattern } from './event-pattern-matcher';
import { compileFilterPattern } from './filter-pattern';
import { logicalId, REPO_ROOT, resourcesOfType, type SynthResult, synthBucketGuard } from './helpers';

type Event = Record<string, unknown> & { 'detail-type'?: string };

function loadEvents(folder: string): [string, Event][] {
  const dir = path.join(REPO_ROOT, 'events', folder);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [`${folder}/${f}`, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Event] as [string, Event])
    .filter(([, event]) => typeof event['detail-type'] === 'string');
}

const EVENTS = [...loadEvents('eventbridge'), ...loadEvents('cloudtrail'), ...loadEvents('alarms')];

let result: SynthResult;
let patterns: Record<'compliance' | 's3ApiCalls' | 'alarms' | 'archive', unknown>;
let routing: ReturnType<typeof routingConfigOf>;

beforeAll(() => {
  result = synthBucketGuard();
  const rules = resourcesOfType(result, 'AWS::Events::Rule');
  const patternOf = (rule: { node: { defaultChild?: unknown } }) =>
    rules[logicalId(result, rule)].Properties.EventPattern;
  patterns = {
    compliance: patternOf(result.guard.eventRules.compliance),
    s3ApiCalls: patternOf(result.guard.eventRules.s3ApiCalls),
    alarms: patternOf(result.guard.eventRules.alarms),
    archive: patternOf(result.guard.complianceArchive.rule),
  };
  // The Lambdas' configuration exactly as deployed (tokens replaced by plausible resolved values).
  const fnId = logicalId(result, result.guard.notify.function);
  const env = (result.json.Resources[fnId].Properties as { Environment: { Variables: Record<string, unknown> } })
    .Environment.Variables;
  routing = routingConfigOf(
    loadResponseConfig({
      ...(env as Record<string, string>),
      BUCKETGUARD_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:BucketGuard-Topic-0123456789AB',
      BUCKETGUARD_REMEDIATION_ROLE_ARN: 'arn:aws:iam::111122223333:role/BucketGuard-RemediationRole-0123456789AB',
    }),
  );
});

const RULE_FOR_DETAIL_TYPE = {
  'Config Rules Compliance Change': 'compliance',
  'AWS API Call via CloudTrail': 's3ApiCalls',
  'CloudWatch Alarm State Change': 'alarms',
} as const;

/** What the Lambdas do with an event: act/mail, report it as unreadable, or ignore it (and why). */
function lambdaVerdict(event: Event): { handled: boolean; tightensOnly: boolean; reasons: string[] } {
  // tightensOnly: delivered on purpose although the Lambdas drop it (deciding needs the request or the role ARN).
  const reasons: string[] = [];
  let handled = false;
  let tightensOnly = false;
  for (const trigger of parseTriggers(event)) {
    if (trigger.kind === 'invalid') {
      handled = true;
      reasons.push(`invalid: ${trigger.error.message}`);
    } else if (trigger.kind === 'ignored') {
      reasons.push(`ignored: ${trigger.reason}`);
    } else {
      const route = routeFinding(trigger.finding, routing);
      reasons.push(route.reason);
      if (route.emailBy !== 'none' || route.actions.length > 0) handled = true;
      else if (trigger.finding.kind === 'api-call' && trigger.finding.effect === 'tightens') tightensOnly = true;
      // bucketguard's own change: only the Lambda knows its role ARN, so EventBridge delivers it for a no-op.
      else if (route.reason === 'bucketguard remediation made this change') tightensOnly = true;
    }
  }
  return { handled, tightensOnly, reasons };
}

it('has recorded events of every kind to check against', () => {
  const kinds = new Set(EVENTS.map(([, e]) => e['detail-type']));
  expect([...kinds].sort()).toEqual(Object.keys(RULE_FOR_DETAIL_TYPE).sort());
  expect(EVENTS.length).toBeGreaterThan(30);
});

describe.each(EVENTS)('%s', (_file, event) => {
  it('reaches the responders exactly when the Lambdas would act on it, through one rule only', () => {
    const delivered = (['compliance', 's3ApiCalls', 'alarms'] as const).filter((rule) =>
      matchesEventPattern(patterns[rule], event),
    );
    const verdict = lambdaVerdict(event);
    const expectedRule = RULE_FOR_DETAIL_TYPE[event['detail-type'] as keyof typeof RULE_FOR_DETAIL_TYPE];
    if (verdict.handled) {
      expect({ delivered, reasons: verdict.reasons }).toEqual({ delivered: [expectedRule], reasons: verdict.reasons });
    } else if (verdict.tightensOnly) {
      // Telling "only tightens" needs the request body; delivering it costs one no-op invocation.
      expect(delivered).toEqual([expectedRule]);
    } else {
      expect({ delivered, reasons: verdict.reasons }).toEqual({ delivered: [], reasons: verdict.reasons });
    }
  });
});

describe('named cases', () => {
  const event = (file: string): Event => EVENTS.find(([name]) => name === file)![1];
  const delivered = (rule: keyof typeof patterns, file: string) => matchesEventPattern(patterns[rule], event(file));

  it.each([
    ['eventbridge/compliance-public-read-noncompliant.json', true],
    ['eventbridge/compliance-first-evaluation-noncompliant.json', true],
    ['eventbridge/compliance-resolved.json', true],
    ['eventbridge/compliance-conformance-pack-suffix.json', true],
    ['eventbridge/compliance-still-noncompliant.json', false],
    ['eventbridge/compliance-other-rule.json', false],
  ])('compliance: %s -> %s', (file, expected) => {
    expect(delivered('compliance', file)).toBe(expected);
  });

  it.each([
    ['cloudtrail/put-bucket-public-access-block-all-off.json', true],
    ['cloudtrail/delete-public-access-block-bucket-level.json', true],
    ['cloudtrail/put-account-public-access-block-off.json', true],
    ['cloudtrail/put-bucket-policy-access-denied.json', true],
    ['cloudtrail/delete-bucket.json', true],
    ['cloudtrail/get-bucket-acl-read-only.json', false],
  ])('S3 API calls: %s -> %s', (file, expected) => {
    expect(delivered('s3ApiCalls', file)).toBe(expected);
  });

  it.each([
    ['alarms/eventbridge-policy-changed-alarm.json', true],
    ['alarms/eventbridge-policy-changed-ok.json', true],
    ['alarms/eventbridge-insufficient-to-ok.json', false],
    ['alarms/eventbridge-other-alarm.json', false],
  ])('alarms: %s -> %s', (file, expected) => {
    expect(delivered('alarms', file)).toBe(expected);
  });

  it('archives every compliance change of bucketguard rules (still NON_COMPLIANT too), nothing else', () => {
    for (const [file, e] of EVENTS) {
      const ours =
        e['detail-type'] === 'Config Rules Compliance Change' && file !== 'eventbridge/compliance-other-rule.json';
      expect({ file, archived: matchesEventPattern(patterns.archive, e) }).toEqual({ file, archived: ours });
    }
  });

  it('the archive metric filter counts each archived event with its rule and result as dimensions', () => {
    const filter = compileFilterPattern(COMPLIANCE_METRIC_PATTERN);
    const archived = EVENTS.filter(([, e]) => matchesEventPattern(patterns.archive, e));
    expect(archived.length).toBeGreaterThan(5);
    for (const [, e] of archived) {
      // EventBridge writes the whole event as the log message.
      expect(filter.matchesMessage(JSON.stringify(e))).toBe(true);
      const detail = e.detail as { configRuleName: string; newEvaluationResult: { complianceType: string } };
      expect(detail.configRuleName).toMatch(/^bucketguard-/);
      expect(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE']).toContain(detail.newEvaluationResult.complianceType);
    }
    expect(COMPLIANCE_METRIC_DIMENSIONS).toEqual({
      Rule: '$.detail.configRuleName',
      Compliance: '$.detail.newEvaluationResult.complianceType',
    });
    for (const [, e] of EVENTS.filter(([, ev]) => ev['detail-type'] !== 'Config Rules Compliance Change')) {
      expect(filter.matchesMessage(JSON.stringify(e))).toBe(false);
    }
  });
});

describe('targets', () => {
  it('each responder rule delivers to both Lambdas with a retry policy and the dead-letter queue', () => {
    const dlq = {
      'Fn::GetAtt': [logicalId(result, result.guard.deadLetterQueue), 'Arn'],
    };
    const fnArn = (fn: { node: { defaultChild?: unknown } }) => ({
      'Fn::GetAtt': [logicalId(result, fn), 'Arn'],
    });
    for (const rule of Object.values(result.guard.eventRules)) {
      const props = resourcesOfType(result, 'AWS::Events::Rule')[logicalId(result, rule)].Properties;
      expect(props.State).toBe('ENABLED');
      expect(props.Targets).toEqual([
        {
          Arn: fnArn(result.guard.notify.function),
          Id: 'Target0',
          DeadLetterConfig: { Arn: dlq },
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        },
        {
          Arn: fnArn(result.guard.remediation.function),
          Id: 'Target1',
          DeadLetterConfig: { Arn: dlq },
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        },
      ]);
    }
  });

  it('each Lambda may be invoked by exactly those three rules (SourceArn), and Config may not invoke them', () => {
    for (const fn of [result.guard.notify.function, result.guard.remediation.function]) {
      const fnId = logicalId(result, fn);
      const permissions = Object.values(resourcesOfType(result, 'AWS::Lambda::Permission'))
        .map((p) => p.Properties)
        .filter((p) => (p.FunctionName as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] === fnId);
      expect(permissions).toHaveLength(3);
      for (const permission of permissions) {
        expect(permission).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
        expect(permission.SourceArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Rule/), 'Arn'] });
      }
      const sources = permissions.map((p) => (p.SourceArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]).sort();
      expect(sources).toEqual(
        Object.values(result.guard.eventRules)
          .map((r) => logicalId(result, r))
          .sort(),
      );
    }
  });

  it("lets EventBridge park undeliverable events in the queue, only from bucketguard's rules", () => {
    const policy = Object.values(resourcesOfType(result, 'AWS::SQS::QueuePolicy'))[0].Properties.PolicyDocument as {
      Statement: {
        Effect: string;
        Principal?: unknown;
        Action: string;
        Condition?: { ArnEquals?: { 'aws:SourceArn': unknown } };
      }[];
    };
    const allows = policy.Statement.filter((s) => s.Effect === 'Allow');
    expect(allows.every((s) => s.Action === 'sqs:SendMessage')).toBe(true);
    expect(
      allows.every((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' })),
    ).toBe(true);
    const ruleIds = [...Object.values(result.guard.eventRules), result.guard.complianceArchive.rule]
      .map((r) => logicalId(result, r))
      .sort();
    expect(
      allows
        .map((s) => (s.Condition!.ArnEquals!['aws:SourceArn'] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0])
        .sort(),
    ).toEqual(ruleIds);
  });
});
