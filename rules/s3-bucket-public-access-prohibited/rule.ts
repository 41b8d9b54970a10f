import type { BucketRuleMetadata, ParameterSpec } from '../../model/rule-definition';
import { ACCESS_TYPES } from '../../model/types';
import {
  COMMON_BUCKET_PARAMETERS,
  parameterValue,
  parseAccessTypesParameter,
  parseExemptionSettings,
} from '../parameters';
import type { PublicAccessParameters } from './evaluate';

const parameters = {
  accessTypes: {
    description:
      'Which public access makes a bucket NON_COMPLIANT (comma-separated: read, write, list, readAcp, writeAcp).',
    type: 'accessTypes',
    default: ACCESS_TYPES.join(','),
  },
  ...COMMON_BUCKET_PARAMETERS,
} as const satisfies Readonly<Record<string, ParameterSpec>>;

/** The rule as data (no evaluation code: the remediation Lambdas read it without bundling evaluate.ts). */
export const metadata: BucketRuleMetadata<PublicAccessParameters> = {
  id: 's3-bucket-public-access-prohibited',
  target: 'bucket',
  title: 'Bucket is not public',
  description:
    "NON_COMPLIANT when the bucket is effectively public by S3's definition: a public bucket policy not neutralised by RestrictPublicBuckets, or a public ACL grant not neutralised by IgnorePublicAcls or disabled ACLs, with bucket and account Block Public Access combined. Re-evaluated when the account-level setting changes, and daily.",
  resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::AccountPublicAccessBlock'],
  triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
  parameters,
  permissions: ['s3:GetAccountPublicAccessBlock'],
  needs: { accountBpa: true, ownership: false },
  remediation: 'block-public-access',
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status',
    'https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-public-read-prohibited.html',
    'https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-public-write-prohibited.html',
  ],
  parseParameters: (raw) => ({
    accessTypes: parseAccessTypesParameter('accessTypes', parameterValue(parameters, raw, 'accessTypes')),
    exemption: parseExemptionSettings(raw),
  }),
};
