/**
 * cdk-nag's AwsSolutions pack, applied as the app applies it: no unsuppressed error or warning in any deployment
 * shape, and each suppression is scoped and carries a written reason.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ACCEPTED } from '../../infra/nag';
import type { BucketGuardProps } from '../../infra/props';
import { nagFindings, synthBucketGuard } from './helpers';

const shapes: [string, Partial<BucketGuardProps> & { trailLogGroupName?: string }][] = [
  ['defaults (trail created, notify mode)', { notificationEmails: ['security@example.com'] }],
  [
    'remediate, every action, recorder, direct alarm actions',
    {
      mode: 'remediate',
      enabledActions: ['block-public-access', 'block-account-public-access', 'enable-versioning'],
      configRecorder: true,
      alarmTopicActions: true,
    },
  ],
  ['existing CloudTrail log group', { trailLogGroupName: 'org-trail' }],
  ['no trail', { createTrail: false }],
];

it.each(shapes)('%s: zero unsuppressed AwsSolutions findings', (_name, { trailLogGroupName, ...props }) => {
  const { stack } = synthBucketGuard({
    props,
    nag: true,
    ...(trailLogGroupName
      ? { beforeProps: (scope) => ({ trailLogGroup: logs.LogGroup.fromLogGroupName(scope, 'Org', trailLogGroupName) }) }
      : {}),
  });
  expect(nagFindings(stack)).toEqual({ errors: [], warnings: [] });
});

it('still reports what is not suppressed (the check is live)', () => {
  // A plain-HTTP-capable queue and an unlogged bucket are things bucketguard never ships: nag must flag them, and
  // (aws-cdk-lib >= 2.2xx) an error annotation fails the synth itself.
  const synth = () =>
    synthBucketGuard({
      nag: true,
      beforeSynth: (s) => {
        new sqs.Queue(s, 'PlainQueue', { encryption: sqs.QueueEncryption.SQS_MANAGED });
        new s3.Bucket(s, 'PlainBucket');
      },
    });
  let message = '';
  try {
    synth();
  } catch (error) {
    message = (error as Error).message;
  }
  for (const id of ['AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'AwsSolutions-S1', 'AwsSolutions-S10']) {
    expect(message).toContain(`ERROR ${id}: `);
  }
  // Only the two additions are reported: bucketguard's own resources stay clean.
  expect(message.match(/^\s+BucketGuard\/[^ ]+/gm)?.every((path) => /Plain(Queue|Bucket)/.test(path))).toBe(true);
});

it('records each suppression, with its reason, in the template metadata', () => {
  const { stack } = synthBucketGuard({ nag: true, props: { configRecorder: true } });
  const template = Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } }>;
  };
  const suppressions = Object.values(template.Resources).flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
  const reasons = new Set<string>(Object.values(ACCEPTED).map((a) => a.reason));
  expect(suppressions.length).toBeGreaterThan(0);
  for (const suppression of suppressions) {
    expect(reasons.has(suppression.reason)).toBe(true);
    expect(suppression.reason.length).toBeGreaterThanOrEqual(10);
  }
  expect(new Set(suppressions.map((s) => s.id))).toEqual(
    new Set(['AwsSolutions-IAM5', 'AwsSolutions-IAM4', 'AwsSolutions-L1', 'AwsSolutions-SQS3', 'AwsSolutions-S1']),
  );
});
