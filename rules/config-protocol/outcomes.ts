/** What one resource's evaluation becomes on its way to PutEvaluations: a record to deliver, or a failure to report. */
import type { RuleResult } from '../../model/types';
import type { DeliverableCompliance, EvaluationRecord, UndeliveredEvaluation } from './put-evaluations';

const ACCOUNT_BPA_TYPE = 'AWS::S3::AccountPublicAccessBlock';
const BUCKET_TYPE = 'AWS::S3::Bucket';

export type Outcome =
  | { readonly record: EvaluationRecord }
  | { readonly failure: UndeliveredEvaluation; readonly error?: unknown };

export const APPLICABLE_STATUSES: ReadonlySet<string> = new Set(['OK', 'ResourceDiscovered']);

export function statusAnnotation(noun: string, status: string): string {
  return status === 'ResourceNotRecorded'
    ? `${noun} is not recorded by AWS Config (ResourceNotRecorded).`
    : `${noun} was deleted (${status}).`;
}

export function nounFor(resourceType: string): string {
  if (resourceType === BUCKET_TYPE) return 'Bucket';
  if (resourceType === ACCOUNT_BPA_TYPE) return 'Account-level Block Public Access configuration';
  return 'Resource';
}

function toDeliverable(compliance: RuleResult['compliance']): DeliverableCompliance {
  // PutEvaluations rejects INSUFFICIENT_DATA; the rule's annotation says what was missing.
  return compliance === 'INSUFFICIENT_DATA' ? 'NOT_APPLICABLE' : compliance;
}

export function notApplicable(
  resource: { readonly resourceType: string; readonly resourceId: string },
  annotation: string,
  timestamp: string,
): Outcome {
  return {
    record: {
      resourceType: resource.resourceType,
      resourceId: resource.resourceId,
      compliance: 'NOT_APPLICABLE',
      annotation,
      orderingTimestamp: timestamp,
    },
  };
}

export function fromResult(result: RuleResult, timestamp: string): Outcome {
  return {
    record: {
      resourceType: result.resourceType,
      resourceId: result.resourceId,
      compliance: toDeliverable(result.compliance),
      annotation: result.annotation,
      orderingTimestamp: timestamp,
    },
  };
}
