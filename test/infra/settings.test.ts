/**
 * Deployment settings: context parsing (what `-c key=value` and cdk.json give) and prop validation. A bad setting
 * must stop the synth with a message naming it, never deploy something looser than asked.
 */
import { settingsFromContext } from '../../infra/context';
import { DEFAULT_REGISTRY } from '../../infra/default-registry';
import {
  type BucketGuardProps,
  InvalidBucketGuardPropsError,
  resolveSettings,
  ruleParametersFor,
} from '../../infra/props';
import { RULES } from '../../rules';
import { synthBucketGuard } from './helpers';

const fromContext = (context: Record<string, unknown>) => settingsFromContext((key) => context[key]);
const resolve = (props: Partial<BucketGuardProps>) => resolveSettings({ registry: DEFAULT_REGISTRY, ...props });

describe('context', () => {
  it('defaults to an empty, safe deployment', () => {
    expect(fromContext({})).toEqual({
      notificationEmails: undefined,
      mode: undefined,
      enabledActions: undefined,
      actionModes: undefined,
      bpaFlags: undefined,
      exemptionTag: undefined,
      rulePrefix: undefined,
      alarmPrefix: undefined,
      configRecorder: undefined,
      ruleParameters: undefined,
      logRetentionDays: undefined,
      flapLimit: undefined,
      flapWindowSeconds: undefined,
      alarmTopicActions: undefined,
      remediationReservedConcurrency: undefined,
      stackName: 'BucketGuard',
      nag: true,
    });
    expect(resolve({})).toMatchObject({
      mode: 'notify',
      enabledActions: ['block-public-access', 'block-account-public-access'],
      trail: { kind: 'create' },
      configRecorder: false,
      rulePrefix: 'bucketguard-',
      alarmPrefix: 'bucketguard-',
      exemptionTag: 'bucketguard:exempt',
      logRetentionDays: 365,
    });
  });

  it('reads command-line strings', () => {
    expect(
      fromContext({
        email: 'a@example.com, b@example.com',
        mode: 'remediate',
        actions: 'block-public-access,enable-versioning',
        actionModes: 'enable-versioning=notify',
        trail: 'log-group:aws-controltower/CloudTrailLogs',
        recorder: 'true',
        ruleParameters: '{"s3-bucket-versioning-enabled":{"exemptions":"off"}}',
        logRetentionDays: '90',
        nag: 'false',
        stackName: 'SecurityBucketGuard',
      }),
    ).toMatchObject({
      notificationEmails: ['a@example.com', 'b@example.com'],
      mode: 'remediate',
      enabledActions: ['block-public-access', 'enable-versioning'],
      actionModes: { 'enable-versioning': 'notify' },
      trailLogGroupName: 'aws-controltower/CloudTrailLogs',
      configRecorder: true,
      ruleParameters: { 's3-bucket-versioning-enabled': { exemptions: 'off' } },
      logRetentionDays: 90,
      nag: false,
      stackName: 'SecurityBucketGuard',
    });
  });

  it('reads cdk.json JSON values', () => {
    expect(
      fromContext({
        email: ['a@example.com'],
        recorder: false,
        logRetentionDays: 30,
        ruleParameters: { 's3-bucket-public-access-prohibited': { accessTypes: 'read', exemptions: 'on' } },
        trail: 'none',
      }),
    ).toMatchObject({
      notificationEmails: ['a@example.com'],
      configRecorder: false,
      logRetentionDays: 30,
      ruleParameters: { 's3-bucket-public-access-prohibited': { accessTypes: 'read', exemptions: 'on' } },
      createTrail: false,
    });
  });

  it('"actions=none" enables no action', () => {
    expect(fromContext({ actions: 'none' }).enabledActions).toEqual([]);
  });

  it.each([
    [{ mode: 'enforce' }, 'Invalid bucketguard setting "mode": received "enforce"; expected "notify" or "remediate".'],
    [
      { trail: 'yes' },
      'Invalid bucketguard setting "trail": received "yes"; expected "create", "none" or "log-group:<CloudWatch Logs group name>".',
    ],
    [
      { trail: 'log-group:bad name!' },
      'Invalid bucketguard setting "trail": received "bad name!"; expected a CloudWatch Logs group name.',
    ],
    [{ recorder: 'yes' }, 'Invalid bucketguard setting "recorder": received "yes"; expected true or false.'],
    [
      { logRetentionDays: 'a year' },
      'Invalid bucketguard setting "logRetentionDays": received "a year"; expected a whole number.',
    ],
    [
      { ruleParameters: '{oops' },
      'Invalid bucketguard setting "ruleParameters": received "{oops"; expected JSON like {"<rule id>": {"<parameter>": "<value>"}}.',
    ],
    [
      { actionModes: 'enable-versioning' },
      'Invalid bucketguard setting "actionModes": received "enable-versioning"; expected "<action id>=notify" or "<action id>=remediate".',
    ],
    [
      { stackName: '1stack' },
      'Invalid bucketguard setting "stackName": received "1stack"; expected a CloudFormation stack name ([A-Za-z][A-Za-z0-9-]*).',
    ],
  ])('rejects %j', (context, message) => {
    expect(() => fromContext(context)).toThrow(InvalidBucketGuardPropsError);
    expect(() => fromContext(context)).toThrow(message);
  });
});

describe('props', () => {
  it.each([
    [
      { notificationEmails: ['not-an-address'] },
      'Invalid bucketguard setting "email": received "not-an-address"; expected an email address.',
    ],
    [
      { enabledActions: ['delete-bucket' as never] },
      'Invalid bucketguard setting "actions": received "delete-bucket"; expected one of block-public-access, block-account-public-access, enable-versioning.',
    ],
    [
      { actionModes: { 'enable-versioning': 'remediate' } },
      'Invalid bucketguard setting "actionModes.enable-versioning": received "remediate"; expected a mode for an enabled action (block-public-access, block-account-public-access).',
    ],
    [
      { bpaFlags: ['blockEverything' as never] },
      'Invalid bucketguard setting "bpaFlags": received "blockEverything"; expected one of blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets.',
    ],
    [
      { rulePrefix: 'bucket guard ' },
      'Invalid bucketguard setting "rulePrefix": received "bucket guard "; expected 1-64 letters, digits, "-" or "_".',
    ],
    [
      { exemptionTag: 'aws:exempt' },
      'Invalid bucketguard setting "exemptionTag": received "aws:exempt"; expected an S3 tag key of 1-122 characters (room for "-until"), not starting with aws:.',
    ],
    [
      { logRetentionDays: 100 },
      'Invalid bucketguard setting "logRetentionDays": received 100; expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.',
    ],
    [{ flapLimit: 0 }, 'Invalid bucketguard setting "flapLimit": received 0; expected an integer from 1 to 100.'],
  ])('rejects %j', (props, message) => {
    expect(() => resolve(props as Partial<BucketGuardProps>)).toThrow(message);
  });

  it('rejects parameter overrides for unknown rules or parameters, or values the rule refuses, at synth', () => {
    expect(() => synthBucketGuard({ props: { ruleParameters: { 's3-nope': { a: 'b' } } } })).toThrow(
      /Invalid bucketguard setting "ruleParameters": received "s3-nope"; expected a rule id: /,
    );
    const versioning = RULES.find((r) => r.id === 's3-bucket-versioning-enabled')!;
    expect(() => ruleParametersFor(versioning, { colour: 'blue' }, 'bucketguard:exempt')).toThrow(
      `Invalid bucketguard setting "ruleParameters.s3-bucket-versioning-enabled.colour": received "blue"; expected one of the rule's parameters: ${Object.keys(versioning.parameters).join(', ')}.`,
    );
    expect(() => ruleParametersFor(versioning, { exemptions: 'sometimes' }, 'bucketguard:exempt')).toThrow(
      /^Invalid bucketguard setting "ruleParameters.s3-bucket-versioning-enabled": received .*; expected values the rule accepts \(Invalid rule parameter "exemptions"/,
    );
  });

  it('rejects parameters longer than Config accepts', () => {
    const rule = RULES.find((r) => 'exemptionTag' in r.parameters)!;
    const long = { ...rule, parseParameters: () => ({}) };
    expect(() => ruleParametersFor(long, { exemptionTag: 'x'.repeat(1100) }, 'bucketguard:exempt')).toThrow(
      /expected at most 1024 characters of JSON \(AWS Config limit\)\.$/,
    );
  });
});
