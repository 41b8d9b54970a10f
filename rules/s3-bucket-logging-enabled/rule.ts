import { type BucketRuleMetadata, InvalidParameterError, type ParameterSpec } from '../../model/rule-definition';
import { COMMON_BUCKET_PARAMETERS, parameterValue, parseExemptionSettings } from '../parameters';
import type { LoggingParameters } from './evaluate';

const parameters = {
  targetBucket: {
    description:
      'The bucket the server access logs must be delivered to (its name, as in PutBucketLogging TargetBucket); empty: any bucket.',
    type: 'string',
    default: '',
  },
  targetPrefix: {
    description: 'The key prefix the server access logs must use, exactly (TargetPrefix); empty: any prefix.',
    type: 'string',
    default: '',
  },
  ...COMMON_BUCKET_PARAMETERS,
} as const satisfies Readonly<Record<string, ParameterSpec>>;

/** S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** S3 object keys (and so prefixes) are at most 1024 bytes of UTF-8. */
const MAX_PREFIX_BYTES = 1024;

function parseTargetBucket(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  const name = value.startsWith('arn:') ? value.replace(/^arn:[^:]+:s3:::/, '') : value;
  if (!BUCKET_NAME.test(name)) {
    throw new InvalidParameterError(
      'targetBucket',
      raw,
      'an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens) or its arn:aws:s3:::name ARN, or empty for any bucket',
    );
  }
  return name;
}

function parseTargetPrefix(raw: string): string | undefined {
  // The prefix is compared exactly, so it is not trimmed; blank means "not set" (Config sends strings only).
  if (raw.trim() === '') return undefined;
  if (new TextEncoder().encode(raw).length > MAX_PREFIX_BYTES) {
    throw new InvalidParameterError('targetPrefix', raw, `a key prefix of at most ${MAX_PREFIX_BYTES} bytes`);
  }
  return raw;
}

/** The rule as data (no evaluation code: the remediation Lambdas read it without bundling evaluate.ts). */
export const metadata: BucketRuleMetadata<LoggingParameters> = {
  id: 's3-bucket-logging-enabled',
  target: 'bucket',
  title: 'Bucket server access logging is enabled',
  description:
    'NON_COMPLIANT when server access logging is off, and, with targetBucket or targetPrefix, when the logs go to another bucket or use another prefix (like the AWS managed rule of the same name).',
  resourceTypes: ['AWS::S3::Bucket'],
  triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
  parameters,
  permissions: [],
  needs: { accountBpa: false, ownership: false },
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html',
    'https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-logging-enabled.html',
  ],
  parseParameters: (raw) => {
    const targetBucket = parseTargetBucket(parameterValue(parameters, raw, 'targetBucket'));
    const targetPrefix = parseTargetPrefix(parameterValue(parameters, raw, 'targetPrefix'));
    return {
      ...(targetBucket !== undefined ? { targetBucket } : {}),
      ...(targetPrefix !== undefined ? { targetPrefix } : {}),
      exemption: parseExemptionSettings(raw),
    };
  },
};
