import type {
  BucketAcl,
  BucketPolicy,
  Fact,
  ObjectOwnership,
  PublicAccessBlockFlags,
  VersioningState,
} from '../../model/types';

/**
 * One trigger, whatever delivered it (EventBridge, SNS, a CloudWatch alarm action), in one typed shape.
 * The parsers in triggers.ts build these; routing, remediation and the email formatters only ever see Findings.
 */
export type Finding = ComplianceChangeFinding | ApiCallFinding | AlarmFinding;

export type FindingKind = Finding['kind'];

/** The EventBridge detail-type of each kind, used as the trigger label in replay output and logs. */
export const TRIGGER_LABELS: Readonly<Record<FindingKind, string>> = {
  'compliance-change': 'Config Rules Compliance Change',
  'api-call': 'AWS API Call via CloudTrail',
  alarm: 'CloudWatch Alarm State Change',
};

export type Target =
  | { readonly kind: 'bucket'; readonly bucket: string }
  | { readonly kind: 'account'; readonly accountId: string };

/** The bucket name or the account id. */
export function targetName(target: Target): string {
  return target.kind === 'bucket' ? target.bucket : target.accountId;
}

export interface ComplianceChangeFinding {
  readonly kind: 'compliance-change';
  readonly delivery: 'eventbridge' | 'sns';
  readonly eventId?: string;
  /** When Config created the notification (ISO-8601). */
  readonly time: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly ruleName: string;
  readonly ruleArn?: string;
  readonly resourceType: string;
  readonly resourceId: string;
  /** Set for the resource types bucketguard can act on (S3 buckets, account BPA). */
  readonly target?: Target;
  readonly newCompliance: string;
  /** Absent on the first evaluation of a resource. */
  readonly oldCompliance?: string;
  readonly annotation?: string;
  readonly orderingTimestamp?: string;
}

/** The user, role or service behind a CloudTrail record. */
export interface Actor {
  readonly type?: string;
  readonly arn?: string;
  readonly principalId?: string;
  readonly accountId?: string;
  /** For assumed roles: the role the session was issued from. */
  readonly sessionIssuerArn?: string;
  readonly invokedBy?: string;
  readonly mfaAuthenticated?: boolean;
  readonly sourceIp?: string;
  readonly userAgent?: string;
}

/** The S3 control-plane calls bucketguard listens to, by CloudTrail eventName (DeletePublicAccessBlock folded in). */
export const API_EVENT_NAMES = [
  'PutBucketPublicAccessBlock',
  'DeleteBucketPublicAccessBlock',
  'PutAccountPublicAccessBlock',
  'DeleteAccountPublicAccessBlock',
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'PutBucketAcl',
  'PutBucketVersioning',
  'PutBucketOwnershipControls',
  'DeleteBucketOwnershipControls',
  'CreateBucket',
  'DeleteBucket',
  // The exemption tag is only a request (issue 13): adding, changing or removing tags is news, never remediated.
  'PutBucketTagging',
  'DeleteBucketTagging',
] as const;
export type ApiEventName = (typeof API_EVENT_NAMES)[number];

/** What the request asked for, read from requestParameters. Unknown parts say why (old records, malformed input). */
export type RequestedChange =
  /** `null` flags = the configuration was deleted. */
  | { readonly setting: 'bucket-bpa'; readonly flags: Fact<PublicAccessBlockFlags | null> }
  | { readonly setting: 'account-bpa'; readonly flags: Fact<PublicAccessBlockFlags | null> }
  | { readonly setting: 'policy'; readonly policy: Fact<BucketPolicy | null> }
  | { readonly setting: 'acl'; readonly acl: Fact<BucketAcl>; readonly canned?: string }
  | { readonly setting: 'versioning'; readonly versioning: Fact<VersioningState> }
  /** `null` = ownership controls deleted: ACLs are in force again (as with ObjectWriter). */
  | { readonly setting: 'ownership'; readonly ownership: Fact<ObjectOwnership | null> }
  | {
      readonly setting: 'bucket-created';
      /** From x-amz-acl / x-amz-grant-* when the request set an ACL. */
      readonly acl?: Fact<BucketAcl>;
      readonly canned?: string;
      readonly ownership?: ObjectOwnership;
      readonly locationConstraint?: string;
    }
  | { readonly setting: 'bucket-deleted' }
  /** The whole tag set the request wrote; `null` = every tag deleted. */
  | { readonly setting: 'tagging'; readonly tags: Fact<Readonly<Record<string, string>> | null> };

/**
 * How the change moves the bucket's exposure: `loosens` (can open it), `tightens` (only closes it), `changes`
 * (neither for certain: a non-public policy, a new bucket, an unreadable request).
 */
export type ChangeEffect = 'loosens' | 'tightens' | 'changes';

export interface ApiCallFinding {
  readonly kind: 'api-call';
  readonly eventId?: string;
  /** CloudTrail eventTime. */
  readonly time: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly eventName: ApiEventName;
  /** As recorded (`DeletePublicAccessBlock` for some bucket-level deletes). */
  readonly rawEventName: string;
  readonly target: Target;
  readonly actor: Actor;
  /** Set when the call failed (`errorCode` present and non-empty): nothing changed. */
  readonly error?: { readonly code: string; readonly message?: string };
  readonly change: RequestedChange;
  readonly effect: ChangeEffect;
}

export interface AlarmFinding {
  readonly kind: 'alarm';
  readonly delivery: 'eventbridge' | 'lambda-action' | 'sns';
  readonly eventId?: string;
  readonly time: string;
  readonly accountId?: string;
  /** Region code (from the alarm ARN when the SNS message only names the region in words). */
  readonly region?: string;
  readonly alarmName: string;
  readonly alarmArn?: string;
  readonly description?: string;
  readonly newState: string;
  readonly oldState?: string;
  readonly reason?: string;
  readonly metric?: { readonly namespace?: string; readonly name?: string };
  readonly threshold?: number;
}

/** A recognised trigger whose body is not usable (no bucket name, no rule name ...): logged, never acted on. */
export class TriggerParseError extends Error {
  override readonly name = 'TriggerParseError';
  constructor(
    readonly trigger: string,
    detail: string,
  ) {
    super(`Cannot read ${trigger} event: ${detail}.`);
  }
}
