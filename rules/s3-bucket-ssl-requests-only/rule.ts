import { type BucketRuleMetadata, InvalidParameterError, type ParameterSpec } from '../../model/rule-definition';
import { COMMON_BUCKET_PARAMETERS, parameterValue, parseExemptionSettings } from '../parameters';
import type { SslRequestsOnlyParameters } from './evaluate';

const parameters = {
  minimumTlsVersion: {
    description:
      'Also require a Deny of older TLS versions for every principal and S3 action (NumericLessThan s3:TlsVersion at this version or higher), e.g. 1.2; empty: not checked.',
    type: 'string',
    default: '',
  },
  ...COMMON_BUCKET_PARAMETERS,
} as const satisfies Readonly<Record<string, ParameterSpec>>;

/** TLS versions S3 reports in s3:TlsVersion. */
const TLS_VERSION = /^1\.[0-3]$/;

function parseMinimumTlsVersion(raw: string): number | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (!TLS_VERSION.test(value)) {
    throw new InvalidParameterError('minimumTlsVersion', raw, 'a TLS version such as 1.2 or 1.3, or empty');
  }
  return Number(value);
}

/** The rule as data (no evaluation code: the remediation Lambdas read it without bundling evaluate.ts). */
export const metadata: BucketRuleMetadata<SslRequestsOnlyParameters> = {
  id: 's3-bucket-ssl-requests-only',
  target: 'bucket',
  title: 'Bucket policy refuses requests without TLS',
  description:
    'NON_COMPLIANT unless the bucket policy has a Deny for every principal ("*") and every S3 action on the bucket and its objects when aws:SecureTransport is false (like the AWS managed rule of the same name and Security Hub S3.5); the annotation says which principals, actions or resources a partial statement leaves open. With minimumTlsVersion, older TLS versions must be denied the same way.',
  resourceTypes: ['AWS::S3::Bucket'],
  triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
  parameters,
  permissions: [],
  needs: { accountBpa: false, ownership: false },
  references: [
    'https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-ssl-requests-only.html',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html',
  ],
  parseParameters: (raw) => {
    const minimumTlsVersion = parseMinimumTlsVersion(parameterValue(parameters, raw, 'minimumTlsVersion'));
    return {
      ...(minimumTlsVersion !== undefined ? { minimumTlsVersion } : {}),
      exemption: parseExemptionSettings(raw),
    };
  },
};
