/**
 * The EventBridge patterns bucketguard subscribes to, as data. Tests evaluate the synthesized patterns against the
 * recorded events in events/ with an EventBridge matcher, so a typo here fails a test rather than silently
 * matching nothing in production.
 */
import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { API_EVENT_NAMES } from '../remediation/triggers/finding';

/** S3 API calls that change who can reach a bucket (policy, ACL, Block Public Access, ownership controls). */
export const S3_BUCKET_PERMISSION_EVENT_NAMES = [
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'PutBucketAcl',
  'PutBucketPublicAccessBlock',
  'DeleteBucketPublicAccessBlock',
  // CloudTrail's name for the bucket-level delete is not documented; both spellings are seen in the wild.
  'DeletePublicAccessBlock',
  'PutBucketOwnershipControls',
  'DeleteBucketOwnershipControls',
] as const;

/** Account-level Block Public Access (s3control), logged with eventSource s3.amazonaws.com. */
export const S3_ACCOUNT_PERMISSION_EVENT_NAMES = [
  'PutAccountPublicAccessBlock',
  'DeleteAccountPublicAccessBlock',
] as const;

/**
 * Everything the notify and remediation Lambdas react to in seconds (Config remains the system of record): the
 * calls their parser knows (API_EVENT_NAMES), plus the DeletePublicAccessBlock spelling it folds in.
 */
export const S3_WATCHED_EVENT_NAMES = [...API_EVENT_NAMES, 'DeletePublicAccessBlock'] as const;

/**
 * Compliance transitions of bucketguard's own rules that the Lambdas act on (remediation/response/route.ts):
 * becoming NON_COMPLIANT (from anything else, or on a first evaluation), and being resolved (NON_COMPLIANT ->
 * COMPLIANT / NOT_APPLICABLE). Re-evaluations that stay NON_COMPLIANT are not delivered. Rule names are matched by
 * prefix, the only part bucketguard controls.
 */
export function complianceChangePattern(rulePrefix: string): EventPattern {
  const everyChange = complianceArchivePattern(rulePrefix);
  return {
    ...everyChange,
    detail: {
      ...everyChange.detail,
      $or: [
        {
          newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
          oldEvaluationResult: { complianceType: [{ 'anything-but': 'NON_COMPLIANT' }] },
        },
        {
          newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
          oldEvaluationResult: { complianceType: [{ exists: false }] },
        },
        {
          newEvaluationResult: { complianceType: ['COMPLIANT', 'NOT_APPLICABLE'] },
          oldEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        },
      ],
    },
  };
}

/** Every compliance change of bucketguard's rules (any result), archived to a log group for the dashboard. */
export function complianceArchivePattern(rulePrefix: string): EventPattern {
  return {
    source: ['aws.config'],
    detailType: ['Config Rules Compliance Change'],
    detail: {
      messageType: ['ComplianceChangeNotification'],
      configRuleName: [{ prefix: rulePrefix }],
    },
  };
}

/**
 * The S3 API calls above, delivered by CloudTrail. Failed calls are deliberately kept (errorCode set): an
 * AccessDenied PutBucketPolicy is worth an email. Calls that only tighten, and bucketguard's own changes, are
 * dropped by the Lambdas (they need the request body and the role ARN to tell).
 */
export function s3ApiCallPattern(): EventPattern {
  return {
    source: ['aws.s3'],
    detailType: ['AWS API Call via CloudTrail'],
    detail: {
      eventSource: ['s3.amazonaws.com'],
      eventName: [...S3_WATCHED_EVENT_NAMES],
    },
  };
}

/** bucketguard's own alarms (all named `<alarmPrefix>...`) entering ALARM, or back to OK from ALARM. */
export function alarmStatePattern(alarmPrefix: string): EventPattern {
  return {
    source: ['aws.cloudwatch'],
    detailType: ['CloudWatch Alarm State Change'],
    detail: {
      alarmName: [{ prefix: alarmPrefix }],
      $or: [{ state: { value: ['ALARM'] } }, { state: { value: ['OK'] }, previousState: { value: ['ALARM'] } }],
    },
  };
}
