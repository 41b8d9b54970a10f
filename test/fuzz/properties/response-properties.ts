/**
 * Properties of the response path (remediation and notify Lambdas) for any input: generated, recorded and mutated
 * EventBridge / SNS / alarm / CloudTrail deliveries against a fake S3 whose answers are generated too.
 */
import fc from 'fast-check';
import { loadResponseConfig, type ResponseConfig } from '../../../remediation/runtime/config';
import { RULES } from '../../../rules';
import { ACCOUNT_ID, bucketNameArb, type Json } from '../../support/basics';
import { bpaFlagsArb, EXEMPTION_TAG } from '../../support/config-item-arbitraries';
import { fixturesOfKind, loadFixtures } from '../../support/fixtures';
import { applyMutations, garbageEventArb, mutationArb } from '../../support/json-mutator';
import {
  alarmEventArb,
  cloudTrailEventArb,
  complianceChangeEvent,
  snsWrapped,
} from '../../support/response-event-arbitraries';
import { assertProperty, type PropertyRunOptions } from '../harness/assert-property';
import { assertNoViolations, hasLoneSurrogate, receivedStrings } from '../harness/checks';
import {
  type Answer,
  type Flags,
  flagsFromInput,
  type ResponseHarness,
  type ResponseResult,
  type ResponseWorld,
} from '../harness/response-harness';

// ---------------------------------------------------------------------------------------------------------------
// Configurations

const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT_ID}:bucketguard-alerts`;

/** Everything on, for real: the configuration with the most writes, so the most to prove. */
export const REMEDIATE_ALL: ResponseConfig = loadResponseConfig({
  BUCKETGUARD_MODE: 'remediate',
  BUCKETGUARD_ACTIONS: 'block-public-access,block-account-public-access,enable-versioning',
  BUCKETGUARD_FLAP_TABLE: 'bucketguard-flaps',
  BUCKETGUARD_TOPIC_ARN: TOPIC,
  BUCKETGUARD_REMEDIATION_ROLE_ARN: `arn:aws:iam::${ACCOUNT_ID}:role/bucketguard-remediation`,
});

/** Only two flags wanted: flags already on must stay on anyway. */
export const REMEDIATE_PARTIAL_FLAGS: ResponseConfig = loadResponseConfig({
  BUCKETGUARD_MODE: 'remediate',
  BUCKETGUARD_ACTIONS: 'block-public-access,block-account-public-access,enable-versioning',
  BUCKETGUARD_BPA_FLAGS: 'blockPublicAcls,ignorePublicAcls',
  BUCKETGUARD_FLAP_TABLE: 'bucketguard-flaps',
  BUCKETGUARD_TOPIC_ARN: TOPIC,
});

/** The default deployment: dry run. Nothing may be written at all. */
export const DRY_RUN: ResponseConfig = loadResponseConfig({ BUCKETGUARD_TOPIC_ARN: TOPIC });

// ---------------------------------------------------------------------------------------------------------------
// Worlds

const errorArb = fc.constantFrom(
  { code: 'AccessDenied', status: 403 },
  { code: 'InternalError', status: 500 },
  { code: 'SlowDown', status: 503 },
  { code: 'NoSuchBucket', status: 404 },
);

function answerArb<T>(value: fc.Arbitrary<T>): fc.Arbitrary<Answer<T>> {
  return fc.oneof(
    { arbitrary: value.map((v) => ({ kind: 'value' as const, value: v })), weight: 6 },
    { arbitrary: fc.constant({ kind: 'none' as const }), weight: 2 },
    { arbitrary: errorArb.map((e) => ({ kind: 'error' as const, ...e })), weight: 1 },
  );
}

const flagsArb = bpaFlagsArb as fc.Arbitrary<Flags>;

/** A value one time in five, undefined otherwise (write faults are the fault suite's subject; here they are spice). */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });

const tagValuesArb: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.constant({}),
  fc.constant({ team: 'web' }),
  fc.constant({ [EXEMPTION_TAG]: 'public website' }),
  fc.constant({ [EXEMPTION_TAG]: 'old', [`${EXEMPTION_TAG}-until`]: '2020-01-01' }),
  fc.constant({ [EXEMPTION_TAG]: 'typo', [`${EXEMPTION_TAG}-until`]: 'soon' }),
);

export const responseWorldArb: fc.Arbitrary<ResponseWorld> = fc.record(
  {
    bucket: fc.record(
      {
        bpa: answerArb(flagsArb),
        versioning: answerArb(
          fc.record({
            status: fc.constantFrom<'Enabled' | 'Suspended' | undefined>('Enabled', 'Suspended', undefined),
            mfaDelete: fc.constantFrom<'Enabled' | 'Disabled' | undefined>('Enabled', 'Disabled', undefined),
          }),
        ).map((a) =>
          a.kind === 'value'
            ? {
                kind: 'value' as const,
                value: { status: a.value.status, ...(a.value.mfaDelete ? { mfaDelete: a.value.mfaDelete } : {}) },
              }
            : a,
        ),
        tags: answerArb(tagValuesArb),
        writeError: rarely(errorArb),
        writeIgnored: rarely(fc.constant(true)),
      },
      { requiredKeys: ['bpa', 'versioning', 'tags', 'writeError', 'writeIgnored'] },
    ),
    account: answerArb(flagsArb),
    accountWriteError: rarely(errorArb),
    accountWriteIgnored: rarely(fc.constant(true)),
  },
  { requiredKeys: ['bucket', 'account', 'accountWriteError', 'accountWriteIgnored'] },
);

// ---------------------------------------------------------------------------------------------------------------
// Events

const ruleNameArb = fc.oneof(
  fc.constantFrom(...RULES.map((rule) => `bucketguard-${rule.id}`)),
  fc.constantFrom(...RULES.map((rule) => `bucketguard-${rule.id}-conformance-pack-6cruwvtg2`)),
  fc.constantFrom(
    's3-bucket-public-read-prohibited',
    'securityhub-s3-bucket-level-public-access-prohibited-baa2cf8c',
    'bucketguard-',
    '',
  ),
);

const complianceArb = fc
  .record({
    bucket: bucketNameArb,
    ruleName: ruleNameArb,
    compliance: fc.constantFrom('NON_COMPLIANT', 'COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'),
    resourceType: fc.constantFrom(
      'AWS::S3::Bucket',
      'AWS::S3::Bucket',
      'AWS::S3::AccountPublicAccessBlock',
      'AWS::::Account',
      'AWS::EC2::Instance',
    ),
    annotation: fc.option(fc.constantFrom('Public read via ACL grant AllUsers READ.', 'x'.repeat(300)), {
      nil: undefined,
    }),
  })
  .map(({ bucket, ruleName, compliance, resourceType, annotation }) =>
    complianceChangeEvent(
      resourceType.includes('Account') ? ACCOUNT_ID : bucket,
      ruleName,
      compliance,
      resourceType,
      annotation,
    ),
  );

/** Config's own SNS delivery of a compliance change: Message is the detail as a JSON string, nulls included. */
const configSnsArb = complianceArb.map((event) => {
  const detail = { ...(event.detail as Record<string, Json>), annotation: null, resultToken: null };
  return snsWrapped(detail, '[AWS Config:us-east-1] compliance change');
});

const trailFileArb = fc
  .array(cloudTrailEventArb, { minLength: 1, maxLength: 3 })
  .map((events) => ({ Records: events.map((e) => e.detail) }));

function fixtureEvents(): Json[] {
  const fixtures = loadFixtures();
  return (['compliance-change', 'cloudtrail', 'alarm', 'sns', 'other'] as const).flatMap((kind) =>
    fixturesOfKind(kind, fixtures)
      .filter(
        (f) => !f.file.startsWith('config-items') && !f.file.startsWith('invocations') && !f.file.startsWith('rules'),
      )
      .map((f) => f.json),
  );
}

export const responseEventArb = (): fc.Arbitrary<{ event: Json; label: string }> => {
  const fixtures = fixtureEvents();
  const base: fc.Arbitrary<{ event: Json; label: string }> = fc.oneof(
    { arbitrary: complianceArb.map((event) => ({ event, label: 'compliance change' })), weight: 4 },
    { arbitrary: cloudTrailEventArb.map((event) => ({ event, label: 'cloudtrail' })), weight: 4 },
    { arbitrary: alarmEventArb.map((event) => ({ event, label: 'alarm' })), weight: 2 },
    { arbitrary: configSnsArb.map((event) => ({ event, label: 'config sns' })), weight: 1 },
    { arbitrary: trailFileArb.map((event) => ({ event: event as Json, label: 'trail file' })), weight: 1 },
    ...(fixtures.length > 0
      ? [{ arbitrary: fc.constantFrom(...fixtures).map((event) => ({ event, label: 'fixture' })), weight: 4 }]
      : []),
  );
  return fc.oneof(
    { arbitrary: base, weight: 3 },
    {
      arbitrary: fc.tuple(base, fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([b, mutations]) => ({
        event: applyMutations(b.event, mutations),
        label: `${b.label} mutated`,
      })),
      weight: 6,
    },
    { arbitrary: garbageEventArb.map((event) => ({ event: event as Json, label: 'garbage' })), weight: 1 },
  );
};

// ---------------------------------------------------------------------------------------------------------------
// Invariants

const ALLOWED_COMMANDS = new Set([
  'GetPublicAccessBlockCommand',
  'GetBucketVersioningCommand',
  'GetBucketTaggingCommand',
  'PutPublicAccessBlockCommand',
  'PutBucketVersioningCommand',
]);

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what SNS rejects in subjects
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_SNS_MESSAGE_BYTES = 262_144;

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** All four flags on: the one write allowed without reading the current setting (it tightens whatever is set). */
const writesAllFour = (input: unknown): boolean => {
  const flags = (input as { PublicAccessBlockConfiguration?: Record<string, unknown> }).PublicAccessBlockConfiguration;
  return (
    flags !== undefined &&
    ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'].every(
      (flag) => flags[flag] === true,
    )
  );
};

/** R1-R7: typed outcome, no loosening, no duplicate change, exemptions and unreadable state respected, valid emails. */
export function responseViolations(
  role: 'remediation' | 'notify',
  config: ResponseConfig,
  event: unknown,
  world: ResponseWorld,
  result: ResponseResult,
  publishMayFail: boolean = world.publishFails === true,
): string[] {
  const problems: string[] = [];
  if (result.error !== undefined) {
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    if (!(publishMayFail && message.startsWith('SNS Publish failed'))) {
      problems.push(
        `uncaught ${result.error instanceof Error ? `${result.error.name}: ${message}\n${result.error.stack?.split('\n').slice(0, 5).join('\n')}` : message}`,
      );
    }
  }
  if (role === 'notify' && result.commands.length > 0)
    problems.push(`notify Lambda called S3: ${result.commands.join(', ')}`);
  for (const command of result.commands)
    if (!ALLOWED_COMMANDS.has(command)) problems.push(`S3 command outside the allowlist: ${command}`);

  const received = result.writes.length > 0 ? receivedStrings(event) : new Set<string>();
  for (const write of result.writes) {
    const where = `${write.command} ${JSON.stringify(write.target).slice(0, 60)}`;
    if (config.mode !== 'remediate' && Object.values(config.actionModes).every((m) => m !== 'remediate'))
      problems.push(`${where}: a write in dry-run mode`);
    if (write.command !== 'PutAccountPublicAccessBlock' && !received.has(write.target))
      problems.push(`${where}: the bucket is not named in the event`);
    if (write.command === 'PutAccountPublicAccessBlock' && !received.has(write.target) && write.target !== ACCOUNT_ID)
      problems.push(`${where}: the account is not in the event`);
    const owner = (write.input as { ExpectedBucketOwner?: string }).ExpectedBucketOwner;
    if (owner !== undefined && !received.has(owner))
      problems.push(`${where}: ExpectedBucketOwner ${owner} is not in the event`);
    if (write.before === undefined && !(write.command === 'PutPublicAccessBlock' && writesAllFour(write.input)))
      problems.push(`${where}: written although the current setting could not be read`);
    // Exemptions (issue 13): a bucket tag is only a request and unreadable tags no longer block, so neither stops a
    // write here; only an approved list entry does, and these worlds have no list (test/security/attacks-exemption*).
    if (write.command === 'PutBucketVersioning') {
      const input = write.input as { VersioningConfiguration?: { Status?: string; MFADelete?: string }; MFA?: string };
      if (input.VersioningConfiguration?.Status !== 'Enabled')
        problems.push(`${where}: Status ${input.VersioningConfiguration?.Status} (only Enabled is allowed)`);
      if (input.VersioningConfiguration?.MFADelete !== undefined || input.MFA !== undefined)
        problems.push(`${where}: touches MFA delete`);
      const before = write.before as { status?: string } | undefined;
      if (before?.status === 'Enabled') problems.push(`${where}: duplicate change (versioning already Enabled)`);
    } else {
      const flags = flagsFromInput(
        (write.input as { PublicAccessBlockConfiguration?: Parameters<typeof flagsFromInput>[0] })
          .PublicAccessBlockConfiguration,
      );
      const before = write.before as Flags | null | undefined;
      if (before) {
        for (const [flag, on] of Object.entries(before)) {
          if (on && !flags[flag as keyof Flags]) problems.push(`${where}: LOOSENS ${flag} (true -> false)`);
        }
        if (Object.entries(flags).every(([flag, on]) => before[flag as keyof Flags] === on))
          problems.push(`${where}: duplicate change (already ${JSON.stringify(before)})`);
      }
    }
  }

  // What reached SNS Publish: a Subject SNS accepts (1-99 UTF-16 units, so 1-99 characters however counted; no
  // control characters or line breaks; well-formed Unicode) and a Message within 256 KB of UTF-8.
  for (const input of result.published) {
    const subject = input.Subject ?? '';
    if (subject.length < 1 || subject.length > 99)
      problems.push(`SNS Subject of ${subject.length} UTF-16 units (1-99): ${JSON.stringify(subject)}`);
    if (CONTROL.test(subject)) problems.push(`SNS Subject with a control character: ${JSON.stringify(subject)}`);
    if (hasLoneSurrogate(subject)) problems.push(`SNS Subject is not well-formed Unicode: ${JSON.stringify(subject)}`);
    const bytes = Buffer.byteLength(input.Message ?? '', 'utf8');
    if (bytes < 1 || bytes > MAX_SNS_MESSAGE_BYTES) problems.push(`SNS Message of ${bytes} bytes (1-262,144)`);
  }
  const summary = result.summary;
  if (summary) {
    if (
      summary.invalid.length > 0 &&
      !result.logs.some(
        (l) => l.level === 'error' && typeof l.attributes.error === 'string' && l.attributes.error !== '',
      )
    ) {
      problems.push('an unreadable trigger was not logged as an error with its reason');
    }
    for (const report of summary.reports) {
      if (report.route.emailBy === role) {
        const sent = result.emails.filter((e) => e.finding === report.finding).length;
        if (sent !== 1) problems.push(`finding routed to ${role} was mailed ${sent} times`);
      }
      for (const outcome of report.outcomes) {
        // Never PLANS a loosening either (dry run included): every planned change turns a flag on or enables versioning.
        for (const change of outcome.changes) {
          if (change.to !== 'true' && change.to !== 'Enabled') {
            problems.push(`${outcome.action} plans ${change.setting}: ${change.from} -> ${change.to}`);
          }
        }
        if (outcome.status !== 'failed' && outcome.status !== 'skipped') continue;
        const mail = result.emails.find((e) => e.finding === report.finding);
        if (!mail) problems.push(`${outcome.action} ${outcome.status} (${outcome.reason}) but no email`);
        else if (!squash(mail.email.body).includes(squash(outcome.reason))) {
          problems.push(
            `${outcome.action} ${outcome.status}: the email does not say why (${outcome.reason.slice(0, 120)})`,
          );
        }
      }
    }
  } else if (result.error === undefined) {
    problems.push('no summary and no error');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Properties

/** What a response property run exercised (the fuzz suites check it was more than rejected garbage). */
export interface ResponseStats {
  cases: number;
  findings: number;
  emails: number;
  writes: number;
  /** Outcomes by status (changed, failed, skipped, no-change, would-change). */
  outcomes: Record<string, number>;
  invalid: number;
}

/** Runs the response properties on one role; the harnesses are built once and reused for every case. */
export async function runResponseProperty(
  role: 'remediation' | 'notify',
  harnesses: readonly ResponseHarness[],
  options: PropertyRunOptions,
): Promise<ResponseStats> {
  const stats: ResponseStats = { cases: 0, findings: 0, emails: 0, writes: 0, outcomes: {}, invalid: 0 };
  await assertProperty(
    fc.asyncProperty(
      responseEventArb(),
      responseWorldArb,
      fc.nat({ max: harnesses.length - 1 }),
      fc.nat({ max: 19 }),
      async (input, world0, which, publishDice) => {
        stats.cases++;
        const world = { ...world0, publishFails: publishDice === 0 };
        const harness = harnesses[which];
        const result = await harness.invoke(role, input.event, world);
        stats.findings += result.summary?.reports.length ?? 0;
        stats.invalid += result.summary?.invalid.length ?? 0;
        stats.emails += result.emails.length;
        stats.writes += result.writes.length;
        for (const report of result.summary?.reports ?? []) {
          for (const outcome of report.outcomes)
            stats.outcomes[outcome.status] = (stats.outcomes[outcome.status] ?? 0) + 1;
        }
        assertNoViolations(responseViolations(role, harness.config, input.event, world, result), () => ({
          label: input.label,
          event: input.event,
          world,
          config: harness.config.bpaFlags,
        }));
      },
    ),
    options,
  );
  return stats;
}
