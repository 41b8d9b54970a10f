/**
 * The approved exemption list in the stack (issue 13): props / context -> validated at synth -> one SSM String
 * parameter named from the prefix -> its name in every bucket rule's parameters and the responders' environment.
 */
import { settingsFromContext } from '../../infra/context';
import { DEFAULT_REGISTRY } from '../../infra/default-registry';
import { type BucketGuardProps, resolveSettings } from '../../infra/props';
import { logicalId, resourcesOfType, synthBucketGuard } from './helpers';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
const ENTRY = { bucket: 'example-site-*', reason: 'public website', approver: 'secteam', until: inDays(30) };
const resolve = (props: Partial<BucketGuardProps>) => resolveSettings({ registry: DEFAULT_REGISTRY, ...props });

describe('approved exemptions: props and context', () => {
  it('defaults: none, 90 days, account-level BPA does not override', () => {
    expect(resolve({})).toMatchObject({
      exemptions: [],
      exemptionsParameterName: '/bucketguard/bucketguard/exemptions',
      maxExemptionDays: 90,
      accountBpaOverridesExemptions: false,
    });
  });

  it('reads exemptions (JSON text or list), maxExemptionDays and accountBpaOverridesExemptions from context', () => {
    const read = (context: Record<string, unknown>) => settingsFromContext((key) => context[key]);
    expect(
      read({ exemptions: JSON.stringify([ENTRY]), maxExemptionDays: '30', accountBpaOverridesExemptions: 'true' }),
    ).toMatchObject({ exemptions: [ENTRY], maxExemptionDays: 30, accountBpaOverridesExemptions: true });
    expect(read({ exemptions: [ENTRY] }).exemptions).toEqual([ENTRY]);
    expect(() => read({ exemptions: '{not json' })).toThrow('exemptions');
  });

  it.each([
    [[{ ...ENTRY, until: inDays(120) }], 'is more than 90 days away (maxExemptionDays)'],
    [[{ ...ENTRY, until: '2020-01-01' }], '"until" 2020-01-01 has passed'],
    [[{ ...ENTRY, bucket: '*' }], '"bucket" must be a bucket name or pattern'],
    [[{ bucket: 'b', reason: 'r', until: inDays(1) }], '"approver" is required'],
  ])('fails the synth with a clear message: %j', (exemptions, message) => {
    expect(() => resolve({ exemptions: exemptions as BucketGuardProps['exemptions'] })).toThrow(message);
  });

  it('a longer maximum allows a longer entry', () => {
    expect(resolve({ maxExemptionDays: 180, exemptions: [{ ...ENTRY, until: inDays(120) }] }).exemptions).toHaveLength(
      1,
    );
    expect(() => resolve({ maxExemptionDays: 0 })).toThrow('maxExemptionDays');
  });
});

describe('approved exemptions: the stack', () => {
  const result = synthBucketGuard({ props: { exemptions: [ENTRY], accountBpaOverridesExemptions: true } });

  it('stores the validated list in one SSM String parameter named from the prefix', () => {
    const parameters = Object.values(resourcesOfType(result, 'AWS::SSM::Parameter'));
    expect(parameters).toHaveLength(1);
    expect(parameters[0].Properties).toMatchObject({
      Name: '/bucketguard/bucketguard/exemptions',
      Type: 'String',
      Value: JSON.stringify([ENTRY]),
    });
  });

  it('gives every bucket rule the parameter name and the maximum, and the responders the same settings', () => {
    const rules = Object.values(resourcesOfType(result, 'AWS::Config::ConfigRule'));
    const withList = rules.filter((rule) => {
      const input = rule.Properties?.InputParameters as Record<string, string> | undefined;
      return input?.exemptionsParameter === '/bucketguard/bucketguard/exemptions' && input.maxExemptionDays === '90';
    });
    expect(withList).toHaveLength(
      DEFAULT_REGISTRY.rules.filter((rule) => 'exemptionsParameter' in rule.parameters).length,
    );
    const fn = result.json.Resources[logicalId(result, result.guard.remediation.function)];
    const environment = fn.Properties?.Environment as { Variables: Record<string, string> } | undefined;
    expect(environment?.Variables).toMatchObject({
      BUCKETGUARD_EXEMPTIONS_PARAMETER: '/bucketguard/bucketguard/exemptions',
      BUCKETGUARD_MAX_EXEMPTION_DAYS: '90',
      BUCKETGUARD_ACCOUNT_BPA_OVERRIDES_EXEMPTIONS: 'true',
    });
  });

  it('an empty list is still a parameter ("[]"), so the roles always read something the deployment wrote', () => {
    const empty = synthBucketGuard({ props: { rulePrefix: 'acme-' } });
    const [parameter] = Object.values(resourcesOfType(empty, 'AWS::SSM::Parameter'));
    expect(parameter.Properties).toMatchObject({ Name: '/bucketguard/acme/exemptions', Value: '[]' });
  });
});
