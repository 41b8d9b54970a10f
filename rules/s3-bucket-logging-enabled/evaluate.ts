import { unknownInput } from '../../model/annotation';
import { type BucketState, bucketLogging, type EvaluationContext, type RuleResult } from '../../model/types';
import type { CommonBucketParameters } from '../parameters';
import { bucketResult, couldNotEvaluate } from '../run-rule';

export interface LoggingParameters extends CommonBucketParameters {
  /** The bucket the access logs must go to; undefined = any bucket. */
  readonly targetBucket?: string;
  /** The key prefix the access logs must use, exactly; undefined = any prefix. */
  readonly targetPrefix?: string;
}

export const LOGGING_OFF = 'Server access logging is not enabled.';

/** `"name"`: a bucket name or key prefix as the annotation shows it. */
const quoted = (text: string): string => JSON.stringify(text);

const describePrefix = (prefix: string): string => (prefix === '' ? 'no prefix' : `prefix ${quoted(prefix)}`);

export function evaluateLogging(
  bucket: BucketState,
  params: LoggingParameters,
  _context: EvaluationContext,
): RuleResult {
  const logging = bucketLogging(bucket);
  if (!logging.known) {
    return couldNotEvaluate('AWS::S3::Bucket', bucket.name, unknownInput('server access logging', logging));
  }
  if (logging.value === null) return bucketResult(bucket, 'NON_COMPLIANT', LOGGING_OFF);
  const { targetBucket, targetPrefix } = logging.value;
  const where = `bucket ${quoted(targetBucket)} with ${describePrefix(targetPrefix)}`;
  const problems: string[] = [];
  if (params.targetBucket !== undefined && targetBucket !== params.targetBucket) {
    problems.push(`expected bucket ${quoted(params.targetBucket)}`);
  }
  if (params.targetPrefix !== undefined && targetPrefix !== params.targetPrefix) {
    problems.push(`expected ${describePrefix(params.targetPrefix)}`);
  }
  if (problems.length > 0) {
    return bucketResult(bucket, 'NON_COMPLIANT', `Server access logs go to ${where}; ${problems.join(' and ')}.`);
  }
  return bucketResult(bucket, 'COMPLIANT', `Server access logs go to ${where}.`);
}
