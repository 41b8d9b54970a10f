import type { BucketRuleMetadata, ParameterSpec } from '../../model/rule-definition';
import { BPA_FLAGS } from '../../model/types';
import {
  COMMON_BUCKET_PARAMETERS,
  parameterValue,
  parseBpaFlagsParameter,
  parseExemptionSettings,
} from '../parameters';
import type { BucketLevelBpaParameters } from './evaluate';

const parameters = {
  flags: {
    description:
      'Bucket-level Block Public Access settings that must be on (comma-separated: blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets).',
    type: 'bpaFlags',
    default: BPA_FLAGS.join(','),
  },
  ...COMMON_BUCKET_PARAMETERS,
} as const satisfies Readonly<Record<string, ParameterSpec>>;

/** The rule as data (no evaluation code: the remediation Lambdas read it without bundling evaluate.ts). */
export const metadata: BucketRuleMetadata<BucketLevelBpaParameters> = {
  id: 's3-bucket-level-public-access-blocked',
  target: 'bucket',
  title: 'Bucket-level Block Public Access is on',
  description:
    'NON_COMPLIANT when any of the chosen bucket-level Block Public Access settings is off, or the bucket has no Block Public Access configuration. Account-level settings are checked by s3-account-level-public-access-blocked.',
  resourceTypes: ['AWS::S3::Bucket'],
  // Periodic as well: a change Config missed or an evaluation that failed is caught within a day.
  triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
  parameters,
  permissions: [],
  needs: { accountBpa: false, ownership: false },
  remediation: 'block-public-access',
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-bucket.html',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-8',
  ],
  parseParameters: (raw) => ({
    flags: parseBpaFlagsParameter('flags', parameterValue(parameters, raw, 'flags')),
    exemption: parseExemptionSettings(raw),
  }),
};
