/**
 * The settings and names behind the tamper alarms: fixed function / EventBridge rule / trail names from the rule
 * prefix, the prefix length they allow, and the remediation function's reserved concurrency.
 */
import { settingsFromContext } from '../../infra/context';
import { physicalNames } from '../../infra/names';
import { InvalidBucketGuardPropsError, resolveSettings } from '../../infra/props';
import { RULES } from '../../rules';
import { synthBucketGuard } from './helpers';

describe('physical names', () => {
  const ids = RULES.map((r) => r.id);

  it('names functions like their Config rules, and the notify / remediation functions and rules by role', () => {
    const names = physicalNames('bucketguard-', ids);
    expect(names.ruleFunction('s3-bucket-versioning-enabled')).toBe('bucketguard-s3-bucket-versioning-enabled');
    expect(names.notifyFunction).toBe('bucketguard-notify');
    expect(names.remediationFunction).toBe('bucketguard-remediation');
    expect(names.eventRule('s3ApiCalls')).toBe('bucketguard-s3-api-calls');
    expect(names.trail).toBe('bucketguard-trail');
    // A trail name starts with a letter or digit.
    expect(physicalNames('_x_', ids).trail).toBe('bucketguard_x_trail');
  });

  it('refuses a prefix too long for the longest function name (64 characters)', () => {
    const longest = Math.max(...ids.map((id) => id.length));
    expect(() => physicalNames('p'.repeat(64 - longest), ids)).not.toThrow();
    expect(() => physicalNames('p'.repeat(65 - longest), ids)).toThrow(InvalidBucketGuardPropsError);
    expect(() => physicalNames('p'.repeat(65 - longest), ids)).toThrow(`at most ${64 - longest} characters`);
  });
});

describe('remediation reserved concurrency', () => {
  it('defaults to 5, accepts 1-1000 or false, refuses the rest', () => {
    expect(resolveSettings({}).remediationReservedConcurrency).toBe(5);
    expect(resolveSettings({ remediationReservedConcurrency: 20 }).remediationReservedConcurrency).toBe(20);
    expect(resolveSettings({ remediationReservedConcurrency: false }).remediationReservedConcurrency).toBeUndefined();
    // 0 would throttle every remediation: never accepted.
    for (const bad of [0, -1, 1.5, 1001, Number.NaN]) {
      expect(() => resolveSettings({ remediationReservedConcurrency: bad })).toThrow(
        'Invalid bucketguard setting "remediationReservedConcurrency"',
      );
    }
  });

  it('reads the context key: a number, or false', () => {
    const read = (value: unknown) =>
      settingsFromContext((key) => (key === 'remediationReservedConcurrency' ? value : undefined))
        .remediationReservedConcurrency;
    expect(read(undefined)).toBeUndefined();
    expect(read('12')).toBe(12);
    expect(read(12)).toBe(12);
    expect(read('false')).toBe(false);
    expect(read(false)).toBe(false);
    expect(() => read('some')).toThrow('Invalid bucketguard setting "remediationReservedConcurrency"');
  });

  it('reserves it on the remediation function only', () => {
    const result = synthBucketGuard();
    const functions = Object.values(result.json.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const reserved = functions
      .filter((f) => f.Properties?.ReservedConcurrentExecutions !== undefined)
      .map((f) => [f.Properties?.FunctionName, f.Properties?.ReservedConcurrentExecutions]);
    expect(reserved).toEqual([['bucketguard-remediation', 5]]);
    const none = synthBucketGuard({ props: { remediationReservedConcurrency: false } });
    expect(
      Object.values(none.json.Resources).filter(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.ReservedConcurrentExecutions !== undefined,
      ),
    ).toEqual([]);
  });
});
