import { unknownInput } from '../../model/annotation';
import type { BucketState, EvaluationContext, RuleResult } from '../../model/types';
import type { CommonBucketParameters } from '../parameters';
import { bucketResult, couldNotEvaluate } from '../run-rule';

export interface VersioningParameters extends CommonBucketParameters {
  /** Also require MFA delete on a versioned bucket. */
  readonly mfaDeleteRequired: boolean;
}

export function evaluateVersioning(
  bucket: BucketState,
  params: VersioningParameters,
  _context: EvaluationContext,
): RuleResult {
  const versioning = bucket.versioning;
  if (!versioning.known) {
    return couldNotEvaluate('AWS::S3::Bucket', bucket.name, unknownInput('versioning', versioning));
  }
  const { status, mfaDelete } = versioning.value;
  switch (status) {
    case 'Off':
      return bucketResult(bucket, 'NON_COMPLIANT', 'Versioning has never been enabled on this bucket.');
    case 'Suspended':
      return bucketResult(bucket, 'NON_COMPLIANT', 'Versioning is suspended: new object versions are no longer kept.');
    case 'Enabled':
      if (!params.mfaDeleteRequired) return bucketResult(bucket, 'COMPLIANT', 'Versioning is enabled.');
      if (mfaDelete === true) return bucketResult(bucket, 'COMPLIANT', 'Versioning is enabled with MFA delete.');
      // Config records null rather than false for "never enabled"; only a recorded true counts as enabled.
      return bucketResult(
        bucket,
        'NON_COMPLIANT',
        mfaDelete === false
          ? 'Versioning is enabled, but MFA delete is not enabled.'
          : 'Versioning is enabled, but MFA delete is not enabled (not recorded as enabled).',
      );
  }
}
