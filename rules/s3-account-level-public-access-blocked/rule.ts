import type { AccountRuleMetadata, ParameterSpec } from '../../model/rule-definition';
import { BPA_FLAGS } from '../../model/types';
import { parameterValue, parseBpaFlagsParameter } from '../parameters';
import type { AccountLevelBpaParameters } from './evaluate';

const parameters = {
  flags: {
    description:
      'Account-level Block Public Access settings that must be on (comma-separated: blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets).',
    type: 'bpaFlags',
    default: BPA_FLAGS.join(','),
  },
} as const satisfies Readonly<Record<string, ParameterSpec>>;

/** The rule as data (no evaluation code: the remediation Lambdas read it without bundling evaluate.ts). */
export const metadata: AccountRuleMetadata<AccountLevelBpaParameters> = {
  id: 's3-account-level-public-access-blocked',
  target: 'account',
  title: 'Account-level Block Public Access is on',
  description:
    'NON_COMPLIANT when any of the chosen account-level Block Public Access settings is off, or the account has never had (or no longer has) an account-level configuration. Change-triggered on the AccountPublicAccessBlock item and periodic, because an account that was never configured has no item to trigger on.',
  resourceTypes: ['AWS::S3::AccountPublicAccessBlock'],
  triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
  parameters,
  permissions: ['s3:GetAccountPublicAccessBlock'],
  needs: { accountBpa: true, ownership: false },
  remediation: 'block-account-public-access',
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html',
    'https://docs.aws.amazon.com/config/latest/developerguide/s3-account-level-public-access-blocks-periodic.html',
  ],
  parseParameters: (raw) => ({ flags: parseBpaFlagsParameter('flags', parameterValue(parameters, raw, 'flags')) }),
};
