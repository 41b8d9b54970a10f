import { GetBucketOwnershipControlsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { REASON_OWNERSHIP_NOT_RECORDED } from '../../../model/normalize';
import { unknown } from '../../../model/types';
import { readLiveOwnership } from '../../../rules/config-protocol/outside-reads';
import { bucket } from '../builders';

const s3 = new S3Client({ region: 'us-east-1' });
const s3Mock = mockClient(s3);
const unrecorded = bucket({ ownership: unknown(REASON_OWNERSHIP_NOT_RECORDED) });

beforeEach(() => s3Mock.reset());

describe('readLiveOwnership', () => {
  it('reads Object Ownership live when the item lacks it', async () => {
    s3Mock
      .on(GetBucketOwnershipControlsCommand)
      .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
    expect(await readLiveOwnership(s3, unrecorded)).toEqual({ known: true, value: 'BucketOwnerEnforced' });
  });

  it('unknown with both reasons when the live read fails', async () => {
    s3Mock
      .on(GetBucketOwnershipControlsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    expect(await readLiveOwnership(s3, unrecorded)).toEqual({
      known: false,
      reason: `${REASON_OWNERSHIP_NOT_RECORDED}; live read: GetBucketOwnershipControls failed: AccessDenied (403)`,
    });
  });

  it('says the recorded reason once when the live answer already repeats it (the offline replay does)', async () => {
    s3Mock.on(GetBucketOwnershipControlsCommand).rejects(new Error(`offline replay: ${REASON_OWNERSHIP_NOT_RECORDED}`));
    const fact = await readLiveOwnership(s3, unrecorded);
    expect(fact.known ? '' : fact.reason).toBe(
      `GetBucketOwnershipControls failed: offline replay: ${REASON_OWNERSHIP_NOT_RECORDED}`,
    );
  });
});
