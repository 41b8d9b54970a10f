import type { BucketRuleMetadata, ParameterSpec } from '../../model/rule-definition';
import { COMMON_BUCKET_PARAMETERS, parameterValue, parseBooleanParameter, parseExemptionSettings } from '../parameters';
import type { VersioningParameters } from './evaluate';

const parameters = {
  mfaDeleteRequired: {
    description: 'Also require MFA delete on versioned buckets (true or false).',
    type: 'boolean',
    default: 'false',
  },
  ...COMMON_BUCKET_PARAMETERS,
} as const satisfies Readonly<Record<string, ParameterSpec>>;

/** The rule as data (no evaluation code: the remediation Lambdas read it without bundling evaluate.ts). */
export const metadata: BucketRuleMetadata<VersioningParameters> = {
  id: 's3-bucket-versioning-enabled',
  target: 'bucket',
  title: 'Bucket versioning is enabled',
  description:
    'NON_COMPLIANT when versioning has never been enabled or is suspended (reported differently), and, with mfaDeleteRequired, when MFA delete is not recorded as enabled.',
  resourceTypes: ['AWS::S3::Bucket'],
  // Periodic as well: a change Config missed or an evaluation that failed is caught within a day.
  triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
  parameters,
  permissions: [],
  needs: { accountBpa: false, ownership: false },
  remediation: 'enable-versioning',
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html',
    'https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-versioning-enabled.html',
  ],
  parseParameters: (raw) => ({
    mfaDeleteRequired: parseBooleanParameter('mfaDeleteRequired', parameterValue(parameters, raw, 'mfaDeleteRequired')),
    exemption: parseExemptionSettings(raw),
  }),
};
