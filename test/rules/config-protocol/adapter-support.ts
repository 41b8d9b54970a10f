/** Test doubles for the adapter suites: rules that echo what the adapter handed them, and item builders. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExemptionSettings } from '../../../model/exemptions';
import type { AccountRuleDefinition, BucketRuleDefinition, ParameterSpec } from '../../../model/rule-definition';
import type { Fact } from '../../../model/types';
import {
  COMMON_BUCKET_PARAMETERS,
  parameterValue,
  parseBooleanParameter,
  parseExemptionSettings,
} from '../../../rules/parameters';

export const EVENTS_DIR = join(__dirname, '..', '..', '..', 'events');
export const ACCOUNT = '123456789012';
export const OWNER_ID = '7d2e4c6a8b0f1e3d5c7a9b1f3e5d7c9a1b3f5e7d9c1a3b5f7e9d1c3a5b7f9e1d';
export const NOW = new Date('2024-09-10T12:00:00.000Z');

export function loadEvent(relativePath: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EVENTS_DIR, relativePath), 'utf8')) as Record<string, unknown>;
}

/** Compact, exact rendering of a Fact for annotations: `known(...)` / `unknown(reason)`. */
export function showFact(fact: Fact<unknown>): string {
  if (!fact.known) return `unknown(${fact.reason})`;
  const value = fact.value;
  if (value !== null && typeof value === 'object' && 'blockPublicAcls' in value) {
    const flags = value as Record<string, boolean>;
    const bits = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'];
    return `flags(${bits.map((b) => (flags[b] ? '1' : '0')).join('')})`;
  }
  return `known(${JSON.stringify(value)})`;
}

const echoParameters = {
  strict: { description: 'test parameter', type: 'boolean', default: 'false' },
  ...COMMON_BUCKET_PARAMETERS,
} as const satisfies Readonly<Record<string, ParameterSpec>>;

interface EchoParams {
  readonly strict: boolean;
  readonly exemption: ExemptionSettings;
}

/**
 * A bucket rule that reports what the adapter gave it: NON_COMPLIANT when the ACL has an AllUsers grant, COMPLIANT
 * otherwise; the annotation lists the account BPA and ownership Facts and the parsed `strict` parameter. With
 * `silentWhenCompliant`, a COMPLIANT result has an empty annotation (to test that Annotation is omitted).
 */
export function echoBucketRule(
  overrides: Partial<BucketRuleDefinition<EchoParams>> & {
    silentWhenCompliant?: boolean;
    /** Which inputs the annotation shows (default all three); keeps it under 256 characters. */
    echo?: ReadonlyArray<'accountBpa' | 'ownership' | 'strict'>;
  } = {},
): BucketRuleDefinition<EchoParams> {
  const { silentWhenCompliant, echo = ['accountBpa', 'ownership', 'strict'], ...rest } = overrides;
  return {
    id: 'test-echo-bucket-rule',
    target: 'bucket',
    title: 'Echo',
    description: 'Echoes its inputs',
    resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::AccountPublicAccessBlock'],
    triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
    parameters: echoParameters,
    permissions: ['s3:GetAccountPublicAccessBlock', 'kms:Decrypt'],
    needs: { accountBpa: true, ownership: true },
    references: [],
    parseParameters: (raw) => ({
      strict: parseBooleanParameter('strict', parameterValue(echoParameters, raw, 'strict')),
      exemption: parseExemptionSettings(raw),
    }),
    evaluate: (bucket, params, context) => {
      const isPublic =
        bucket.acl.known &&
        bucket.acl.value.grants.some((g) => g.grantee.kind === 'group' && g.grantee.group === 'AllUsers');
      const shown = {
        accountBpa: `accountBpa=${showFact(context.accountBpa)}`,
        ownership: `ownership=${showFact(bucket.ownership)}`,
        strict: `strict=${params.strict}`,
      };
      const annotation = silentWhenCompliant && !isPublic ? '' : echo.map((key) => shown[key]).join(' ');
      return {
        resourceType: 'AWS::S3::Bucket',
        resourceId: bucket.name,
        compliance: isPublic ? 'NON_COMPLIANT' : 'COMPLIANT',
        annotation,
      };
    },
    ...rest,
  };
}

/**
 * An account rule that echoes the account item (status/source/flags, or `none`) and the context Fact it was given;
 * reported on AWS::S3::AccountPublicAccessBlock for a live item, on AWS::::Account otherwise (as the real rule does).
 */
export function echoAccountRule(): AccountRuleDefinition<Record<string, never>> {
  return {
    id: 'test-echo-account-rule',
    target: 'account',
    title: 'Echo account',
    description: 'Echoes its inputs',
    resourceTypes: ['AWS::S3::AccountPublicAccessBlock'],
    triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
    parameters: {},
    permissions: ['s3:GetAccountPublicAccessBlock'],
    needs: { accountBpa: true, ownership: false },
    references: [],
    parseParameters: () => ({}),
    evaluate: (accountId, account, _params, context) => ({
      resourceType: account && account.status === 'OK' ? 'AWS::S3::AccountPublicAccessBlock' : 'AWS::::Account',
      resourceId: accountId,
      compliance: 'COMPLIANT',
      annotation: `account=${account ? `${account.status}/${account.source}/${showFact(account.publicAccessBlock)}` : 'none'} accountBpa=${showFact(context.accountBpa)}`,
    }),
  };
}

/** A BatchGetResourceConfig item (API model: every supplementary value a JSON string, no tags key) for `name`. */
export function apiBucketItem(name: string, options: { publicRead?: boolean; accountId?: string } = {}) {
  const grants = [{ grantee: { id: OWNER_ID, displayName: null }, permission: 'FullControl' }];
  if (options.publicRead) grants.push({ grantee: 'AllUsers' as never, permission: 'Read' });
  const acl = JSON.stringify({ grantSet: null, grantList: grants, owner: { displayName: null, id: OWNER_ID } });
  return {
    version: '1.3',
    accountId: options.accountId ?? ACCOUNT,
    configurationItemCaptureTime: new Date('2024-09-01T00:00:00.000Z'),
    configurationItemStatus: 'OK' as const,
    configurationStateId: '1725148800000',
    arn: `arn:aws:s3:::${name}`,
    resourceType: 'AWS::S3::Bucket' as const,
    resourceId: name,
    resourceName: name,
    awsRegion: 'us-east-1',
    availabilityZone: 'Regional',
    resourceCreationTime: new Date('2023-01-01T00:00:00.000Z'),
    configuration: JSON.stringify({
      name,
      owner: { displayName: null, id: OWNER_ID },
      creationDate: '2023-01-01T00:00:00.000Z',
    }),
    supplementaryConfiguration: {
      AccessControlList: JSON.stringify(acl),
      BucketPolicy: JSON.stringify({ policyText: null }),
      BucketVersioningConfiguration: JSON.stringify({ status: 'Enabled', isMfaDeleteEnabled: null }),
      IsRequesterPaysEnabled: 'false',
    },
  };
}

/** A Config rule invocation around an invoking event object. */
export function invocation(invokingEvent: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '1.0',
    invokingEvent: JSON.stringify(invokingEvent),
    ruleParameters: '{}',
    resultToken: 'token-abc',
    eventLeftScope: false,
    configRuleName: 'bucketguard-test',
    accountId: ACCOUNT,
    ...extra,
  };
}

export const SCHEDULED = {
  awsAccountId: ACCOUNT,
  notificationCreationTime: '2024-09-09T00:00:00.373Z',
  messageType: 'ScheduledNotification',
  recordVersion: '1.0',
};
