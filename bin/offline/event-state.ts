/**
 * What a successful CloudTrail call says about the bucket (or account) afterwards, as a BucketState / AccountBpaState.
 * Pure. The offline replay uses it when no configuration item knows the target, or when the call happened after the
 * item was captured; whatever the call does not say stays unknown, with the reason.
 */
import { bucketArn } from '../../model/arn';
import {
  type AccountBpaState,
  type BucketState,
  type Fact,
  known,
  unknown,
  type VersioningState,
} from '../../model/types';
import type { ApiCallFinding } from '../../remediation/triggers/finding';

/** Short on purpose: it ends up inside "GetBucketTagging failed: …", which error descriptions cap at 120 characters. */
function notRecordedReason(what: string): string {
  return `no recorded item or event gives the ${what}`;
}

function blankBucket(finding: ApiCallFinding, name: string): BucketState {
  const reason = notRecordedReason;
  return {
    kind: 'bucket',
    name,
    ...(finding.accountId !== undefined ? { accountId: finding.accountId } : {}),
    ...(finding.region !== undefined ? { region: finding.region } : {}),
    arn: bucketArn(name, finding.region),
    source: 'cloudtrail-request',
    status: 'OK',
    captureTime: finding.time,
    policy: unknown(reason('bucket policy')),
    acl: unknown(reason('ACL')),
    publicAccessBlock: unknown(reason('Block Public Access configuration')),
    versioning: unknown(reason('versioning status')),
    ownership: unknown(reason('Object Ownership')),
    tags: unknown(reason('tag set (exemptions)')),
  };
}

/** Whether a call at `eventTime` is newer than a state captured at `captureTime` (no capture time: the state wins). */
export function eventIsNewer(eventTime: string, captureTime: string | undefined): boolean {
  if (captureTime === undefined) return false;
  const event = Date.parse(eventTime);
  const capture = Date.parse(captureTime);
  return Number.isFinite(event) && Number.isFinite(capture) && event > capture;
}

/** The state after the call. Failed calls change nothing: `previous` comes back as it was. */
export function stateAfterApiCall(
  finding: ApiCallFinding,
  previous: BucketState | AccountBpaState | undefined,
): BucketState | AccountBpaState | undefined {
  if (finding.error) return previous;
  const change = finding.change;
  if (finding.target.kind === 'account') {
    const accountId = finding.target.accountId;
    if (change.setting !== 'account-bpa') return previous;
    return {
      kind: 'account',
      accountId,
      ...(finding.region !== undefined ? { region: finding.region } : {}),
      source: 'cloudtrail-request',
      status: 'OK',
      captureTime: finding.time,
      publicAccessBlock: change.flags,
    };
  }
  const name = finding.target.bucket;
  const base: BucketState =
    previous?.kind === 'bucket'
      ? { ...previous, source: 'cloudtrail-request', captureTime: finding.time }
      : blankBucket(finding, name);
  switch (change.setting) {
    case 'bucket-bpa':
      return { ...base, publicAccessBlock: change.flags };
    case 'policy':
      return { ...base, policy: change.policy };
    case 'acl':
      return { ...base, acl: change.acl };
    case 'versioning': {
      if (!change.versioning.known) return { ...base, versioning: change.versioning };
      // MFA delete is only in the request when it was changed (with the root user's MFA); otherwise it stays.
      const previousMfa = base.versioning.known ? base.versioning.value.mfaDelete : null;
      const versioning: Fact<VersioningState> = known({
        status: change.versioning.value.status,
        mfaDelete: change.versioning.value.mfaDelete ?? previousMfa,
      });
      return { ...base, versioning };
    }
    case 'ownership':
      return { ...base, ownership: change.ownership };
    case 'bucket-created': {
      const fresh = blankBucket(finding, name);
      return {
        ...fresh,
        // A new bucket has no policy and has never had versioning; the rest is whatever AWS defaulted it to.
        policy: known(null),
        versioning: known({ status: 'Off', mfaDelete: null }),
        ...(change.acl ? { acl: change.acl } : {}),
        ...(change.ownership ? { ownership: known(change.ownership) } : {}),
      };
    }
    case 'bucket-deleted':
      return { ...base, status: 'ResourceDeleted' };
    case 'tagging':
      return { ...base, tags: change.tags.known ? known(change.tags.value ?? {}) : change.tags };
    case 'account-bpa':
      return base;
  }
}
