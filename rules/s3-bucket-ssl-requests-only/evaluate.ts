import {
  analyseDeny,
  type DenyAnalysis,
  type DenyCondition,
  INSECURE_TRANSPORT,
  type TransportTarget,
} from '../../exposure/secure-transport';
import { unknownInput } from '../../model/annotation';
import { bucketArn } from '../../model/arn';
import type { BucketPolicy, BucketState, EvaluationContext, RuleResult } from '../../model/types';
import type { CommonBucketParameters } from '../parameters';
import { bucketResult, couldNotEvaluate } from '../run-rule';

export interface SslRequestsOnlyParameters extends CommonBucketParameters {
  /** Also require a Deny of TLS versions below this one (NumericLessThan s3:TlsVersion); undefined = not checked. */
  readonly minimumTlsVersion?: number;
}

export const NO_POLICY = 'No bucket policy: requests over plain HTTP (aws:SecureTransport false) are not denied.';

/** Deny with NumericLessThan(IfExists) s3:TlsVersion at `minimum` or higher: refuses every version below `minimum`. */
export function tlsBelow(minimum: number): DenyCondition {
  return {
    describe: `s3:TlsVersion below ${minimum}`,
    matches: (entry) =>
      entry.base === 'NumericLessThan' &&
      entry.qualifier === '' &&
      entry.keyLower === 's3:tlsversion' &&
      entry.values.some((value) => Number(value.trim()) >= minimum),
  };
}

function describeTargets(targets: readonly TransportTarget[], arn: string): string {
  if (targets.length === 2) return 'the bucket and its objects';
  return targets[0] === 'bucket' ? `the bucket (${arn})` : `its objects (${arn}/*)`;
}

function refs(list: readonly string[]): string {
  return [...new Set(list)].join(' and ');
}

/** What one statement leaves open, for the targets still open. */
function statementGap(reach: DenyAnalysis['statements'][number]): string {
  const gaps = [...reach.gaps];
  if (reach.targets.length === 0) gaps.push('names neither the bucket nor its objects');
  else if (reach.targets.length === 1)
    gaps.push(reach.targets[0] === 'bucket' ? 'covers only the bucket' : 'covers only the objects');
  return `${reach.ref} ${gaps.join(', ')}`;
}

/** One sentence for one condition: undefined when the policy covers both targets. */
function verdict(policy: BucketPolicy | null, arn: string, condition: DenyCondition, what: string): string | undefined {
  const analysis = analyseDeny(policy, arn, condition);
  if (analysis.open.length === 0) return undefined;
  if (analysis.statements.length === 0) {
    const allows =
      analysis.allowsInstead.length > 0
        ? ` (${refs(analysis.allowsInstead)} only allows over TLS, which refuses nothing)`
        : '';
    return `The bucket policy has no Deny statement for ${condition.describe}: ${what} are not refused${allows}.`;
  }
  const details = analysis.statements.map(statementGap).join('; ');
  return `${capitalise(what)} are not denied on ${describeTargets(analysis.open, arn)}: ${details}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function coveringRefs(policy: BucketPolicy | null, arn: string, condition: DenyCondition): string {
  const { coveredBy } = analyseDeny(policy, arn, condition);
  return refs([...coveredBy.bucket, ...coveredBy.objects]);
}

export function evaluateSslRequestsOnly(
  bucket: BucketState,
  params: SslRequestsOnlyParameters,
  _context: EvaluationContext,
): RuleResult {
  if (!bucket.policy.known) {
    return couldNotEvaluate('AWS::S3::Bucket', bucket.name, unknownInput('bucket policy', bucket.policy));
  }
  const policy = bucket.policy.value;
  if (policy === null) return bucketResult(bucket, 'NON_COMPLIANT', NO_POLICY);
  const arn = bucket.arn ?? bucketArn(bucket.name, bucket.region);
  const tls = params.minimumTlsVersion !== undefined ? tlsBelow(params.minimumTlsVersion) : undefined;
  const problems = [
    verdict(policy, arn, INSECURE_TRANSPORT, 'requests over plain HTTP'),
    tls ? verdict(policy, arn, tls, `requests with TLS below ${params.minimumTlsVersion}`) : undefined,
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) return bucketResult(bucket, 'NON_COMPLIANT', problems.join(' '));
  const tlsNote = tls ? `; TLS below ${params.minimumTlsVersion} too (${coveringRefs(policy, arn, tls)})` : '';
  return bucketResult(
    bucket,
    'COMPLIANT',
    `The bucket policy denies plain HTTP to every principal and S3 action on the bucket and its objects (${coveringRefs(policy, arn, INSECURE_TRANSPORT)})${tlsNote}.`,
  );
}
