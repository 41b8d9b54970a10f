import {
  assertRemediationReady,
  InvalidConfigurationError,
  loadResponseConfig,
  modeFor,
  requireTopicArn,
} from '../../../remediation/runtime/config';

describe('loadResponseConfig', () => {
  it('defaults to the safe choices: dry run, no opt-in action, all four flags', () => {
    expect(loadResponseConfig({})).toEqual({
      mode: 'notify',
      actionModes: {},
      enabledActions: ['block-public-access', 'block-account-public-access'],
      bpaFlags: ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'],
      exemption: { tagKey: 'bucketguard:exempt', enabled: true },
      maxExemptionDays: 90,
      accountBpaOverridesExemptions: false,
      rulePrefix: 'bucketguard-',
      alarmPrefix: 'bucketguard-',
      flapLimit: 3,
      flapWindowSeconds: 3600,
    });
  });

  it('reads every variable', () => {
    const config = loadResponseConfig({
      BUCKETGUARD_MODE: ' Remediate ',
      BUCKETGUARD_ACTIONS: 'enable-versioning, block-public-access',
      BUCKETGUARD_ACTION_MODES: 'enable-versioning=notify',
      BUCKETGUARD_BPA_FLAGS: 'BlockPublicPolicy,restrictpublicbuckets',
      BUCKETGUARD_EXEMPTION_TAG: 'acme:public-ok',
      BUCKETGUARD_EXEMPTIONS_PARAMETER: '/bucketguard/bucketguard/exemptions',
      BUCKETGUARD_MAX_EXEMPTION_DAYS: '30',
      BUCKETGUARD_ACCOUNT_BPA_OVERRIDES_EXEMPTIONS: 'true',
      BUCKETGUARD_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:bucketguard-alerts',
      BUCKETGUARD_RULE_PREFIX: 'acme-',
      BUCKETGUARD_ALARM_PREFIX: 'acme-alarm-',
      BUCKETGUARD_FLAP_TABLE: 'bucketguard-flaps',
      BUCKETGUARD_FLAP_LIMIT: '5',
      BUCKETGUARD_FLAP_WINDOW_SECONDS: '600',
      BUCKETGUARD_REMEDIATION_ROLE_ARN: 'arn:aws:iam::111122223333:role/bucketguard/Remediation',
    });
    expect(config).toEqual({
      mode: 'remediate',
      actionModes: { 'enable-versioning': 'notify' },
      enabledActions: ['block-public-access', 'enable-versioning'],
      bpaFlags: ['blockPublicPolicy', 'restrictPublicBuckets'],
      exemption: { tagKey: 'acme:public-ok', enabled: true },
      exemptionsParameter: '/bucketguard/bucketguard/exemptions',
      maxExemptionDays: 30,
      accountBpaOverridesExemptions: true,
      topicArn: 'arn:aws:sns:eu-west-1:111122223333:bucketguard-alerts',
      rulePrefix: 'acme-',
      alarmPrefix: 'acme-alarm-',
      flapTable: 'bucketguard-flaps',
      flapLimit: 5,
      flapWindowSeconds: 600,
      remediationRoleArn: 'arn:aws:iam::111122223333:role/bucketguard/Remediation',
    });
    expect(modeFor(config, 'enable-versioning')).toBe('notify');
    expect(modeFor(config, 'block-public-access')).toBe('remediate');
  });

  it('reads an empty or "none" action list as no actions (infra joins an empty list to "")', () => {
    expect(loadResponseConfig({ BUCKETGUARD_ACTIONS: '' }).enabledActions).toEqual([]);
    expect(loadResponseConfig({ BUCKETGUARD_ACTIONS: 'none' }).enabledActions).toEqual([]);
  });

  it.each([
    [{ BUCKETGUARD_MODE: 'fix' }, 'Invalid BUCKETGUARD_MODE: received "fix"; expected one of notify, remediate.'],
    [
      { BUCKETGUARD_ACTIONS: 'block-public-access,delete-bucket' },
      'Invalid BUCKETGUARD_ACTIONS: received "block-public-access,delete-bucket"; expected action ids from block-public-access, block-account-public-access, enable-versioning.',
    ],
    [
      { BUCKETGUARD_ACTION_MODES: 'enable-versioning=remediate' },
      'Invalid BUCKETGUARD_ACTION_MODES: received "enable-versioning=remediate"; expected modes only for enabled actions (enable-versioning is not in BUCKETGUARD_ACTIONS).',
    ],
    [
      { BUCKETGUARD_ACTION_MODES: 'block-public-access' },
      'Invalid BUCKETGUARD_ACTION_MODES: received "block-public-access"; expected comma-separated `action-id=notify|remediate` pairs.',
    ],
    [
      { BUCKETGUARD_BPA_FLAGS: 'BlockEverything' },
      'Invalid BUCKETGUARD_BPA_FLAGS: received "BlockEverything"; expected flag names from blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets (any case), or all.',
    ],
    [{ BUCKETGUARD_BPA_FLAGS: ',' }, 'Invalid BUCKETGUARD_BPA_FLAGS: received ","; expected at least one flag.'],
    [
      { BUCKETGUARD_TOPIC_ARN: 'bucketguard-alerts' },
      'Invalid BUCKETGUARD_TOPIC_ARN: received "bucketguard-alerts"; expected an SNS topic ARN.',
    ],
    [
      { BUCKETGUARD_FLAP_LIMIT: '0' },
      'Invalid BUCKETGUARD_FLAP_LIMIT: received "0"; expected a whole number of at least 1.',
    ],
    [
      { BUCKETGUARD_FLAP_WINDOW_SECONDS: '1.5' },
      'Invalid BUCKETGUARD_FLAP_WINDOW_SECONDS: received "1.5"; expected a whole number of at least 60.',
    ],
    [
      { BUCKETGUARD_REMEDIATION_ROLE_ARN: 'arn:aws:sts::111122223333:assumed-role/x/y' },
      'Invalid BUCKETGUARD_REMEDIATION_ROLE_ARN: received "arn:aws:sts::111122223333:assumed-role/x/y"; expected an IAM role ARN.',
    ],
  ])('%j -> %s', (env, message) => {
    expect(() => loadResponseConfig(env)).toThrow(InvalidConfigurationError);
    expect(() => loadResponseConfig(env)).toThrow(message);
  });

  it('refuses to remediate without the anti-flapping table, and to mail without a topic', () => {
    const remediating = loadResponseConfig({
      BUCKETGUARD_ACTIONS: 'block-public-access',
      BUCKETGUARD_ACTION_MODES: 'block-public-access=remediate',
    });
    expect(() => assertRemediationReady(remediating)).toThrow(
      'Invalid BUCKETGUARD_FLAP_TABLE: received ""; expected a DynamoDB table name: block-public-access run in remediate mode and need the anti-flapping counters.',
    );
    expect(() => assertRemediationReady(loadResponseConfig({}))).not.toThrow();
    expect(() => requireTopicArn(loadResponseConfig({}))).toThrow(
      'Invalid BUCKETGUARD_TOPIC_ARN: received ""; expected the SNS topic ARN the emails are published to.',
    );
  });
});
