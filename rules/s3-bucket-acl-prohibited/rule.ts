import type { BucketRuleMetadata, ParameterSpec } from '../../model/rule-definition';
import { COMMON_BUCKET_PARAMETERS, parameterValue, parseBooleanParameter, parseExemptionSettings } from '../parameters';
import type { AclProhibitedParameters } from './evaluate';

const parameters = {
  allowLogDelivery: {
    description:
      'Accept WRITE and READ_ACP grants to the S3 log delivery group (server access logging through ACLs): true or false.',
    type: 'boolean',
    default: 'false',
  },
  ...COMMON_BUCKET_PARAMETERS,
} as const satisfies Readonly<Record<string, ParameterSpec>>;

/** The rule as data (no evaluation code: the remediation Lambdas read it without bundling evaluate.ts). */
export const metadata: BucketRuleMetadata<AclProhibitedParameters> = {
  id: 's3-bucket-acl-prohibited',
  target: 'bucket',
  title: 'Bucket ACL grants nothing beyond the bucket owner',
  description:
    'NON_COMPLIANT when the bucket ACL grants any permission to anyone other than the bucket owner (optionally except the S3 log delivery group). COMPLIANT when ACLs are disabled (Object Ownership: BucketOwnerEnforced).',
  resourceTypes: ['AWS::S3::Bucket'],
  // Periodic as well: a change Config missed or an evaluation that failed is caught within a day.
  triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
  parameters,
  permissions: ['s3:GetBucketOwnershipControls'],
  needs: { accountBpa: false, ownership: true },
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html',
    'https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-acl-prohibited.html',
  ],
  parseParameters: (raw) => ({
    allowLogDelivery: parseBooleanParameter('allowLogDelivery', parameterValue(parameters, raw, 'allowLogDelivery')),
    exemption: parseExemptionSettings(raw),
  }),
};
