/**
 * Fault injection on the remediation Lambda: throttling (with and without retry-after), 5xx, timeouts and AccessDenied
 * on every S3 / S3 Control / SNS call, and read-back mismatches after a put (the write is acknowledged but does not
 * stick), from seeded schedules at 10%, 30% and 60%, over every trigger that leads to a remediation. The faults are
 * injected with aws-sdk-client-mock, after the SDK's retry middleware: each stands for what the SDK throws once its
 * attempts are spent (the SDK's own retries of these clients are shown on the wire in client-retry.test.ts), and no
 * remediation code retries a thrown error again.
 *
 * Whatever fails: no write ever turns a setting off (never a partial loosening), no write repeats a change already in
 * place (never a duplicate change, also across the Lambda retry that a failed email causes), an outcome says
 * "changed" only when the setting really is in place, and every failed or skipped action is in the email (or the
 * invocation fails loudly so Lambda retries it).
 */

import { BPA_FLAGS } from '../../model/types';
import { RULES } from '../../rules';
import { type Flags, ResponseHarness, type ResponseResult, type ResponseWorld } from '../fuzz/harness/response-harness';
import { REMEDIATE_ALL, REMEDIATE_PARTIAL_FLAGS, responseViolations } from '../fuzz/properties/response-properties';
import { ACCOUNT_ID, type Json } from '../support/basics';
import { EXEMPTION_TAG } from '../support/config-item-arbitraries';
import { cloudTrailEvent, complianceChangeEvent } from '../support/response-event-arbitraries';
import { addCounts, FaultInjector, seededRandom } from './support/fault-injector';

const BUCKET = 'example-remediation-target';
const OFF: Flags = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};
const PARTIAL: Flags = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};

/** Every trigger that routes to a remediation action. */
function remediationEvents(): { label: string; event: Json }[] {
  const events: { label: string; event: Json }[] = [];
  for (const rule of RULES) {
    if (!rule.remediation) continue;
    const account = rule.target === 'account';
    const type = account ? 'AWS::S3::AccountPublicAccessBlock' : 'AWS::S3::Bucket';
    events.push({
      label: `${rule.id} NON_COMPLIANT`,
      event: complianceChangeEvent(account ? ACCOUNT_ID : BUCKET, `bucketguard-${rule.id}`, 'NON_COMPLIANT', type),
    });
  }
  const host = `${ACCOUNT_ID}.s3-control.us-east-1.amazonaws.com`;
  const off = {
    xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
    BlockPublicAcls: false,
    IgnorePublicAcls: false,
    BlockPublicPolicy: false,
    RestrictPublicBuckets: false,
  };
  const publicPolicy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }],
  };
  events.push(
    {
      label: 'PutBucketPolicy public',
      event: cloudTrailEvent('PutBucketPolicy', BUCKET, { bucketName: BUCKET, bucketPolicy: publicPolicy, policy: '' }),
    },
    {
      label: 'DeleteBucketPublicAccessBlock',
      event: cloudTrailEvent('DeleteBucketPublicAccessBlock', BUCKET, { bucketName: BUCKET, publicAccessBlock: '' }),
    },
    {
      label: 'PutBucketPublicAccessBlock all off',
      event: cloudTrailEvent('PutBucketPublicAccessBlock', BUCKET, {
        bucketName: BUCKET,
        publicAccessBlock: '',
        PublicAccessBlockConfiguration: off,
      }),
    },
    {
      label: 'PutBucketAcl public-read',
      event: cloudTrailEvent('PutBucketAcl', BUCKET, { bucketName: BUCKET, acl: '', 'x-amz-acl': 'public-read' }),
    },
    {
      label: 'PutBucketVersioning Suspended',
      event: cloudTrailEvent('PutBucketVersioning', BUCKET, {
        bucketName: BUCKET,
        versioning: '',
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    },
    {
      label: 'CreateBucket',
      event: cloudTrailEvent('CreateBucket', BUCKET, { bucketName: BUCKET, Host: `${BUCKET}.s3.amazonaws.com` }),
    },
    {
      label: 'PutAccountPublicAccessBlock off',
      event: cloudTrailEvent('PutAccountPublicAccessBlock', '', { host, PublicAccessBlockConfiguration: off }),
    },
    { label: 'DeleteAccountPublicAccessBlock', event: cloudTrailEvent('DeleteAccountPublicAccessBlock', '', { host }) },
  );
  return events;
}

function worlds(): { label: string; world: ResponseWorld }[] {
  const bucket = (bpa: Flags | null, versioning: 'Suspended' | undefined, tags: Record<string, string>) => ({
    bpa: bpa === null ? ({ kind: 'none' } as const) : ({ kind: 'value', value: bpa } as const),
    versioning: { kind: 'value', value: { status: versioning } } as const,
    tags: { kind: 'value', value: tags } as const,
  });
  return [
    { label: 'nothing blocked', world: { bucket: bucket(null, undefined, {}), account: { kind: 'none' } } },
    {
      label: 'some flags on',
      world: { bucket: bucket(PARTIAL, 'Suspended', {}), account: { kind: 'value', value: PARTIAL } },
    },
    {
      label: 'all off',
      world: { bucket: bucket(OFF, 'Suspended', { team: 'web' }), account: { kind: 'value', value: OFF } },
    },
    {
      label: 'exempt',
      world: {
        bucket: bucket(OFF, 'Suspended', { [EXEMPTION_TAG]: 'public website' }),
        account: { kind: 'value', value: OFF },
      },
    },
  ];
}

const totals = {
  invocations: 0,
  lambdaRetries: 0,
  faults: {} as Record<string, number>,
  outcomes: {} as Record<string, number>,
  writesApplied: 0,
  loosening: 0,
  duplicates: 0,
  unmailedFailures: 0,
  falselyChanged: 0,
};

/** An outcome "changed" must match the fake S3's final state. */
function truthViolations(harness: ResponseHarness, result: ResponseResult, wanted: readonly string[]): string[] {
  const problems: string[] = [];
  for (const report of result.summary?.reports ?? []) {
    for (const outcome of report.outcomes) {
      totals.outcomes[outcome.status] = (totals.outcomes[outcome.status] ?? 0) + 1;
      if (outcome.status !== 'changed') continue;
      if (outcome.action === 'enable-versioning') {
        const state = harness.bucketState(outcome.target)?.versioning;
        if (state?.kind !== 'value' || state.value.status !== 'Enabled')
          problems.push(`${outcome.action} reported changed but versioning is ${JSON.stringify(state)}`);
      } else {
        const state =
          outcome.action === 'block-account-public-access'
            ? harness.accountState()
            : harness.bucketState(outcome.target)?.bpa;
        const on = state?.kind === 'value' ? state.value : undefined;
        const missing = BPA_FLAGS.filter((flag) => wanted.includes(flag) && on?.[flag] !== true);
        if (missing.length > 0) problems.push(`${outcome.action} reported changed but ${missing.join(', ')} still off`);
      }
    }
  }
  totals.falselyChanged += problems.length;
  return problems;
}

/**
 * With all four flags configured, an unreadable Block Public Access state is answered by writing all four without
 * reading (issue 13: a deny on bucketguard's read must not stop the fix). When this invocation's read was faulted,
 * such a write can repeat flags already on: a "duplicate" that only re-tightens, by design, not a violation.
 */
function withoutBlindWrites(problems: readonly string[], injector: FaultInjector, wanted: readonly string[]): string[] {
  const blind = wanted.length === BPA_FLAGS.length && (injector.injectedByOperation.GetPublicAccessBlock ?? 0) > 0;
  if (!blind) return [...problems];
  return problems.filter(
    (problem) => !(problem.includes('PutPublicAccessBlock') && problem.includes('duplicate change')),
  );
}

function tally(problems: readonly string[]): void {
  for (const problem of problems) {
    if (problem.includes('LOOSENS')) totals.loosening++;
    if (problem.includes('duplicate change')) totals.duplicates++;
    if (problem.includes('but no email') || problem.includes('does not say why')) totals.unmailedFailures++;
  }
}

describe.each([
  ['all four flags wanted', REMEDIATE_ALL],
  ['two flags wanted (flags already on must stay on)', REMEDIATE_PARTIAL_FLAGS],
] as const)('remediation under faults, %s', (_label, config) => {
  const harness = new ResponseHarness(config);
  const events = remediationEvents();

  it.each([0.1, 0.3, 0.6])(
    'at a %s fault rate on every call: no loosening, no duplicate, every failure mailed',
    async (rate) => {
      const random = seededRandom(Math.round(rate * 1000));
      let seed = Math.round(rate * 100_000);
      let injected = 0;
      for (let round = 0; round < 25; round++) {
        for (const { label, world } of worlds()) {
          for (const { event } of events) {
            const injector = new FaultInjector(rate, seed++);
            const result = await harness.invoke('remediation', event, world, injector);
            totals.invocations++;
            const problems = [
              ...withoutBlindWrites(
                responseViolations('remediation', config, event, world, result, true),
                injector,
                config.bpaFlags,
              ),
              ...truthViolations(harness, result, config.bpaFlags),
            ];
            for (const write of result.writes) if (write.applied) totals.writesApplied++;
            // A failed email fails the invocation; Lambda retries the same event against the state the first attempt left.
            if (result.error !== undefined) {
              totals.lambdaRetries++;
              const retryInjector = new FaultInjector(random() < 0.5 ? 0 : rate, seed++);
              const retry = await harness.invoke('remediation', event, world, retryInjector, { keepState: true });
              problems.push(
                ...withoutBlindWrites(
                  responseViolations('remediation', config, event, world, retry, true),
                  retryInjector,
                  config.bpaFlags,
                ).map((p) => `retry: ${p}`),
              );
              problems.push(...truthViolations(harness, retry, config.bpaFlags));
            }
            addCounts(totals.faults, injector.injected);
            injected += injector.total;
            tally(problems);
            if (problems.length > 0) throw new Error(`${label}, fault seed ${seed - 1}:\n${problems.join('\n')}`);
          }
        }
      }
      // The schedule really reached the calls (a harness that ignored the injector would prove nothing).
      expect(injected).toBeGreaterThan(0);
    },
    300_000,
  );
});

afterAll(() => {
  process.stdout.write(`\n[faults] remediation: ${JSON.stringify(totals)}\n`);
  expect(totals.loosening + totals.duplicates + totals.unmailedFailures + totals.falselyChanged).toBe(0);
});
