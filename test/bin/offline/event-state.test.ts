import { eventIsNewer, stateAfterApiCall } from '../../../bin/offline/event-state';
import { known, unknown } from '../../../model/types';
import type { ApiCallFinding } from '../../../remediation/triggers/finding';
import { ALL_OFF, ALL_ON, bucketState, findingOf } from '../../remediation/helpers';

function apiCall(path: string): ApiCallFinding {
  const finding = findingOf(path);
  if (finding.kind !== 'api-call') throw new Error(path);
  return finding;
}

describe('stateAfterApiCall (what replay uses when no configuration item knows better)', () => {
  it('builds a bucket from a PutBucketPublicAccessBlock, everything else unknown with the reason', () => {
    const state = stateAfterApiCall(apiCall('cloudtrail/put-bucket-public-access-block-all-off.json'), undefined);
    expect(state).toMatchObject({
      kind: 'bucket',
      name: 'example-private-data',
      source: 'cloudtrail-request',
      captureTime: '2024-03-20T10:02:41.000Z',
      publicAccessBlock: known(ALL_OFF),
      tags: unknown('no recorded item or event gives the tag set (exemptions)'),
    });
  });

  it('overlays the changed part on a known state and keeps the rest', () => {
    const previous = bucketState('example-private-data', {
      publicAccessBlock: known(ALL_ON),
      tags: known({ team: 'a' }),
    });
    const state = stateAfterApiCall(apiCall('cloudtrail/delete-bucket-public-access-block.json'), previous);
    expect(state).toMatchObject({ publicAccessBlock: known(null), tags: known({ team: 'a' }) });
  });

  it('keeps MFA delete from the previous state when the request does not send it', () => {
    const previous = bucketState('example-build-cache', { versioning: known({ status: 'Enabled', mfaDelete: false }) });
    expect(stateAfterApiCall(apiCall('cloudtrail/put-bucket-versioning-suspended.json'), previous)).toMatchObject({
      versioning: known({ status: 'Suspended', mfaDelete: false }),
    });
  });

  it('gives a created bucket no policy and versioning Off, and a deleted one status ResourceDeleted', () => {
    expect(stateAfterApiCall(apiCall('cloudtrail/create-bucket.json'), undefined)).toMatchObject({
      name: 'example-new-reports',
      region: 'eu-west-1',
      policy: known(null),
      versioning: known({ status: 'Off', mfaDelete: null }),
    });
    expect(
      stateAfterApiCall(apiCall('cloudtrail/delete-bucket.json'), bucketState('example-decommissioned')),
    ).toMatchObject({
      status: 'ResourceDeleted',
    });
  });

  it('changes nothing for a failed call', () => {
    const previous = bucketState('example-private-data');
    expect(stateAfterApiCall(apiCall('cloudtrail/put-bucket-policy-access-denied.json'), previous)).toBe(previous);
  });

  it('builds the account state from an account-level call', () => {
    expect(stateAfterApiCall(apiCall('cloudtrail/delete-account-public-access-block.json'), undefined)).toEqual({
      kind: 'account',
      accountId: '111122223333',
      region: 'us-east-1',
      source: 'cloudtrail-request',
      status: 'OK',
      captureTime: '2024-03-20T10:10:00.000Z',
      publicAccessBlock: known(null),
    });
  });

  it.each([
    ['2024-03-20T10:00:00Z', '2024-03-20T09:59:59.999Z', true],
    ['2024-03-20T10:00:00Z', '2024-03-20T10:00:00Z', false],
    ['2024-03-20T10:00:00Z', undefined, false],
  ])('eventIsNewer(%s, %s) = %s', (event, capture, expected) => {
    expect(eventIsNewer(event, capture)).toBe(expected);
  });
});
