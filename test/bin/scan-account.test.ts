import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import 'aws-sdk-client-mock-jest';
import {
  accountBpaNeverConfigured,
  answerBucket,
  FOUR_ON,
  listBuckets,
  resetScanMocks,
  row,
  runJson,
  s3controlMock,
} from './scan-support';

beforeEach(() => {
  resetScanMocks();
});

describe('bucketguard scan: account-level Block Public Access', () => {
  test('--account-id reads account-level BPA through S3 Control and runs the account rule', async () => {
    listBuckets('amzn-s3-demo-public');
    answerBucket('amzn-s3-demo-public', { publicRead: true });
    s3controlMock.on(GetAccountPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: FOUR_ON });
    const { document, code } = await runJson([
      '--account-id',
      '111122223333',
      '--rules',
      's3-account-level-public-access-blocked,s3-bucket-public-access-prohibited',
    ]);
    expect(s3controlMock).toHaveReceivedCommandWith(GetAccountPublicAccessBlockCommand, { AccountId: '111122223333' });
    expect(document.results).toEqual([
      {
        resourceType: 'AWS::::Account',
        resourceId: '111122223333',
        accountId: '111122223333',
        rule: 's3-account-level-public-access-blocked',
        compliance: 'COMPLIANT',
        annotation:
          'Account-level Block Public Access is on for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.',
        source: 'live',
      },
      // The account's IgnorePublicAcls neutralises the bucket's public ACL.
      row(
        'amzn-s3-demo-public',
        's3-bucket-public-access-prohibited',
        'COMPLIANT',
        'Not public: public ACL grant neutralised by IgnorePublicAcls (account).',
        '111122223333',
      ),
    ]);
    expect(document.notes).toEqual([]);
    expect(code).toBe(0);
  });

  test('--account-public-access-block assumes the account settings instead of reading them (as evaluate does)', async () => {
    listBuckets('amzn-s3-demo-public');
    answerBucket('amzn-s3-demo-public', { publicRead: true });
    const { document } = await runJson([
      '--account-id',
      '111122223333',
      '--account-public-access-block',
      '{"blockPublicAcls":false,"ignorePublicAcls":false,"blockPublicPolicy":false,"restrictPublicBuckets":false}',
      '--rules',
      's3-bucket-public-access-prohibited',
    ]);
    expect(s3controlMock).not.toHaveReceivedCommand(GetAccountPublicAccessBlockCommand);
    expect(document.results).toEqual([
      row(
        'amzn-s3-demo-public',
        's3-bucket-public-access-prohibited',
        'NON_COMPLIANT',
        'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level.',
        '111122223333',
      ),
    ]);
  });

  test('account-level BPA never configured: the account rule is NON_COMPLIANT', async () => {
    listBuckets();
    accountBpaNeverConfigured();
    const { document } = await runJson([
      '--account-id',
      '111122223333',
      '--rules',
      's3-account-level-public-access-blocked',
    ]);
    expect(document.results.map((result) => [result.resourceType, result.compliance, result.annotation])).toEqual([
      [
        'AWS::::Account',
        'NON_COMPLIANT',
        'Account-level Block Public Access has never been configured: all four settings are off for every bucket in the account.',
      ],
    ]);
  });
});
