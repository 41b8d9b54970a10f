import type { BucketRuleMetadata, ParameterSpec } from '../../model/rule-definition';
import {
  COMMON_BUCKET_PARAMETERS,
  parameterValue,
  parseAccountIdsParameter,
  parseExemptionSettings,
  parseIdsParameter,
} from '../parameters';
import type { CrossAccountParameters } from './evaluate';

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

const parameters = {
  trustedAccounts: {
    description: 'Accounts besides the bucket owner that may be granted access (comma-separated 12-digit account ids).',
    type: 'accountIds',
    default: '',
  },
  trustedOrganizations: {
    description:
      'AWS Organizations whose members may be granted access through aws:PrincipalOrgID (comma-separated ids, o-...).',
    type: 'csv',
    default: '',
  },
  ...COMMON_BUCKET_PARAMETERS,
} as const satisfies Readonly<Record<string, ParameterSpec>>;

/** The rule as data (no evaluation code: the remediation Lambdas read it without bundling evaluate.ts). */
export const metadata: BucketRuleMetadata<CrossAccountParameters> = {
  id: 's3-bucket-cross-account-access-prohibited',
  target: 'bucket',
  title: 'Bucket grants no access to other accounts',
  description:
    'NON_COMPLIANT when a bucket policy statement or ACL grant gives access to an account other than the owner and the trusted accounts, to everyone, or to an AWS service not restricted to the owner account (aws:SourceAccount / aws:SourceArn). Re-evaluated when the account-level setting changes, and daily.',
  // The account-level item too: its verdict reads the account's Block Public Access (RestrictPublicBuckets).
  resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::AccountPublicAccessBlock'],
  // Periodic as well: a change Config missed or an evaluation that failed is caught within a day.
  triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
  parameters,
  permissions: ['s3:GetAccountPublicAccessBlock'],
  needs: { accountBpa: true, ownership: false },
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status',
  ],
  parseParameters: (raw) => ({
    trustedAccounts: parseAccountIdsParameter('trustedAccounts', parameterValue(parameters, raw, 'trustedAccounts')),
    trustedOrganizations: parseIdsParameter(
      'trustedOrganizations',
      parameterValue(parameters, raw, 'trustedOrganizations'),
      (id) => ORGANIZATION_ID.test(id),
      'comma-separated organization ids like o-a1b2c3d4e5',
    ),
    exemption: parseExemptionSettings(raw),
  }),
};
