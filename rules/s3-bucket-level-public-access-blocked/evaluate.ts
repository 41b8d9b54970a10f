import { unknownInput } from '../../model/annotation';
import type { BpaFlag, BucketState, EvaluationContext, RuleResult } from '../../model/types';
import { describeFlags, flagsOff } from '../../model/wording';
import type { CommonBucketParameters } from '../parameters';
import { bucketResult, couldNotEvaluate } from '../run-rule';

export interface BucketLevelBpaParameters extends CommonBucketParameters {
  /** The bucket-level flags that must be on. */
  readonly flags: readonly BpaFlag[];
}

/** A settings check only (like Security Hub S3.8): account-level BPA does not count here, rule 3 checks that. */
export function evaluateBucketLevelBpa(
  bucket: BucketState,
  params: BucketLevelBpaParameters,
  _context: EvaluationContext,
): RuleResult {
  const bpa = bucket.publicAccessBlock;
  if (!bpa.known) {
    return couldNotEvaluate('AWS::S3::Bucket', bucket.name, unknownInput('bucket-level Block Public Access', bpa));
  }
  if (bpa.value === null) {
    return bucketResult(bucket, 'NON_COMPLIANT', 'No bucket-level Block Public Access configuration.');
  }
  const off = flagsOff(bpa.value, params.flags);
  if (off.length > 0) {
    return bucketResult(bucket, 'NON_COMPLIANT', `Bucket-level Block Public Access is off for: ${describeFlags(off)}.`);
  }
  return bucketResult(
    bucket,
    'COMPLIANT',
    `Bucket-level Block Public Access is on for: ${describeFlags(params.flags)}.`,
  );
}
