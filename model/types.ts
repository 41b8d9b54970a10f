/**
 * The typed model every part of bucketguard shares. Configuration items, live S3 reads and CloudTrail requests are
 * all turned into these shapes once (model/normalize.ts, the scan adapter); nothing downstream sees raw JSON.
 * No AWS SDK imports here or in anything that decides.
 */

import type { ApprovedExemptionContext } from './approved-exemptions';

/** A value we either know, or know that we do not know (and why). Unknown is never silently treated as "absent". */
export type Fact<T> = { readonly known: true; readonly value: T } | { readonly known: false; readonly reason: string };

export const known = <T>(value: T): Fact<T> => ({ known: true, value });
export const unknown = <T = never>(reason: string): Fact<T> => ({ known: false, reason });

export const BPA_FLAGS = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;
export type BpaFlag = (typeof BPA_FLAGS)[number];

/** The four Block Public Access settings, in Config's camelCase (the S3 API and CloudTrail use PascalCase). */
export type PublicAccessBlockFlags = Record<BpaFlag, boolean>;

/** The five things a bucket can expose. `list` is ListBucket; `readAcp`/`writeAcp` are GetBucketAcl/PutBucketAcl. */
export const ACCESS_TYPES = ['read', 'write', 'list', 'readAcp', 'writeAcp'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

export type AclPermission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';

export type PredefinedGroup = 'AllUsers' | 'AuthenticatedUsers' | 'LogDelivery';

export type Grantee =
  | { readonly kind: 'group'; readonly group: PredefinedGroup }
  | { readonly kind: 'canonicalUser'; readonly id: string; readonly displayName?: string }
  | { readonly kind: 'email'; readonly email: string }
  /** A grantee shape we could not classify (kept so nothing is dropped silently; treated as not-owner). */
  | { readonly kind: 'unrecognised'; readonly raw: string };

export interface AclGrant {
  readonly grantee: Grantee;
  readonly permission: AclPermission;
}

export interface BucketAcl {
  /** Canonical user id of the bucket owner, as the ACL states it. */
  readonly ownerId?: string;
  readonly grants: readonly AclGrant[];
}

/** A condition block value as IAM accepts it: a scalar or a list of scalars. */
export type ConditionValue = string | number | boolean | readonly (string | number | boolean)[];
/** operator -> key -> value(s), e.g. { "IpAddress": { "aws:SourceIp": ["203.0.113.0/24"] } }. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, ConditionValue>>>>;

/** Principal as IAM accepts it: "*" or { AWS | Service | Federated | CanonicalUser: string | string[] }. */
export type PolicyPrincipal = '*' | Readonly<Record<string, string | readonly string[]>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: PolicyPrincipal;
  readonly NotPrincipal?: PolicyPrincipal;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface BucketPolicy {
  readonly Version?: string;
  readonly Id?: string;
  /** Always an array after normalisation (IAM also allows a single object). */
  readonly Statement: readonly PolicyStatement[];
}

export type VersioningStatus = 'Enabled' | 'Suspended' | 'Off';

export interface VersioningState {
  readonly status: VersioningStatus;
  /** null when the source does not say (Config usually records null, not false). */
  readonly mfaDelete: boolean | null;
}

/** Server access logging: where S3 delivers the bucket's access log records (PutBucketLogging's LoggingEnabled). */
export interface BucketLogging {
  readonly targetBucket: string;
  /** '' when the log objects go to the top of the target bucket. */
  readonly targetPrefix: string;
}

export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

/** Where a state came from; shows up in reports so a reader knows how fresh and how complete it is. */
export type StateSource =
  | 'config-invocation'
  | 'config-api'
  | 'config-sns'
  | 'config-advanced-query'
  | 'live-s3'
  | 'cloudtrail-request'
  /** Read from a CloudFormation template before deploy (model/normalize-cloudformation.ts). */
  | 'cloudformation-template';

export type ConfigItemStatus =
  | 'OK'
  | 'ResourceDiscovered'
  | 'ResourceNotRecorded'
  | 'ResourceDeleted'
  | 'ResourceDeletedNotRecorded';

/** Config's two statuses of a deleted resource (recorded or not when it went). */
export function isDeletedStatus(status: string | undefined): boolean {
  return status === 'ResourceDeleted' || status === 'ResourceDeletedNotRecorded';
}

export interface BucketState {
  readonly kind: 'bucket';
  readonly name: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly arn?: string;
  readonly source: StateSource;
  /** Config status; live reads use 'OK'. Deleted and not-recorded items are NOT_APPLICABLE. */
  readonly status: ConfigItemStatus;
  /** ISO-8601; the OrderingTimestamp reported to Config. */
  readonly captureTime?: string;
  /** null = no bucket policy. */
  readonly policy: Fact<BucketPolicy | null>;
  readonly acl: Fact<BucketAcl>;
  /** null = no bucket-level Block Public Access configuration (behaves as all four false). */
  readonly publicAccessBlock: Fact<PublicAccessBlockFlags | null>;
  readonly versioning: Fact<VersioningState>;
  /** null = no ownership controls configured (ACLs active). Config items do not carry this: unknown there. */
  readonly ownership: Fact<ObjectOwnership | null>;
  readonly tags: Fact<Readonly<Record<string, string>>>;
  /**
   * Server access logging; null = off. Absent when the source does not read it (read as unknown, never as off: read it
   * through bucketLogging()).
   */
  readonly logging?: Fact<BucketLogging | null>;
}

/** Why a bucket state without a logging Fact says nothing about logging. */
export const LOGGING_NOT_READ = 'server access logging is not read from this source';

/** The bucket's logging Fact; unknown when its source did not read logging (a state built before the field existed). */
export function bucketLogging(bucket: BucketState): Fact<BucketLogging | null> {
  return bucket.logging ?? unknown(`${LOGGING_NOT_READ} (${bucket.source})`);
}

export interface AccountBpaState {
  readonly kind: 'account';
  readonly accountId: string;
  readonly region?: string;
  readonly source: StateSource;
  readonly status: ConfigItemStatus;
  readonly captureTime?: string;
  /** null = never configured at account level (behaves as all four false). */
  readonly publicAccessBlock: Fact<PublicAccessBlockFlags | null>;
}

export type ResourceType = 'AWS::S3::Bucket' | 'AWS::S3::AccountPublicAccessBlock' | 'AWS::::Account';

/** COMPLIANT, NON_COMPLIANT and NOT_APPLICABLE go to PutEvaluations; INSUFFICIENT_DATA only ever appears in CLI/scan reports. */
export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';

// ---------------------------------------------------------------------------------------------------------------
// Exposure: the verdict of exposure/bucket-exposure.ts, by S3's published meaning of "public".

export type ExposureLayerName = 'account-bpa' | 'bucket-bpa' | 'ownership' | 'acl' | 'policy';

/** One grant or statement that would make the bucket public, and whether a setting neutralises it. */
export interface ExposureSource {
  readonly layer: 'acl' | 'policy';
  /** Human reference: `statement "PublicRead"` / `statement #2` / `grant AllUsers READ`. */
  readonly ref: string;
  /** Who it opens to: `AllUsers`, `AuthenticatedUsers`, `*`, `NotPrincipal`, `Federated graph.facebook.com`. */
  readonly principal: string;
  readonly accessTypes: readonly AccessType[];
  /** Set when BPA / ownership makes this source ineffective, e.g. `IgnorePublicAcls (account)`. */
  readonly neutralisedBy?: string;
}

export interface AccessVerdict {
  readonly public: boolean;
  /** The effective (not neutralised) sources granting this access publicly. */
  readonly via: readonly ExposureSource[];
}

export interface ExplainLayer {
  readonly layer: ExposureLayerName;
  /** What this layer does to the verdict: `exposes`, `neutralises`, `none`, `unknown`. */
  readonly effect: 'exposes' | 'neutralises' | 'none' | 'unknown';
  readonly detail: string;
}

export interface Exposure {
  readonly public: boolean;
  readonly access: Readonly<Record<AccessType, AccessVerdict>>;
  /** Every source that is public in isolation, neutralised or not. */
  readonly sources: readonly ExposureSource[];
  /** The most restrictive combination of bucket and account BPA; where each flag comes from. */
  readonly effectiveBpa: {
    readonly flags: PublicAccessBlockFlags;
    readonly from: Readonly<Record<BpaFlag, 'bucket' | 'account' | 'both' | 'none'>>;
  };
  /** Layer-by-layer story for `bucketguard explain`. */
  readonly layers: readonly ExplainLayer[];
  /** Inputs that were unknown or semantics marked [open] that affected this verdict. */
  readonly caveats: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

export type PeriodicFrequency = 'One_Hour' | 'Three_Hours' | 'Six_Hours' | 'Twelve_Hours' | 'TwentyFour_Hours';

export interface RuleResult {
  readonly resourceType: ResourceType;
  readonly resourceId: string;
  readonly compliance: ComplianceType;
  /** Empty means none; the adapter omits it and truncates to 256 characters. */
  readonly annotation: string;
}

/** What a rule's evaluate() gets besides the state: everything from outside the item, fetched by the adapter. */
export interface EvaluationContext {
  /** Account-level BPA for the bucket's account: null = never configured; unknown when it could not be read. */
  readonly accountBpa: Fact<PublicAccessBlockFlags | null>;
  /** Evaluation time (exemption expiry); injected, never read from the clock inside evaluate(). */
  readonly now: Date;
  /** The approved exemption list (run-rule.ts decides with it); absent = none approved, a tag is only a request. */
  readonly exemptions?: ApprovedExemptionContext;
}
