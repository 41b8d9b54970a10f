import { arnAccount, bucketArn, isAccountId, parseArn, partitionOf } from '../../model/arn';

describe('account ids and ARNs, one reading everywhere', () => {
  it.each([
    ['111122223333', true],
    ['11112222333', false],
    ['1111222233334', false],
    ['11112222333a', false],
    ['', false],
    ['１１１１２２２２３３３３', false], // full-width digits are not ASCII digits
  ])('isAccountId(%j) is %s, as /^\\d{12}$/ says', (value, expected) => {
    expect(isAccountId(value)).toBe(expected);
    expect(/^[0-9]{12}$/.test(value)).toBe(expected);
  });

  it('parses ARNs of every partition with the SDK parser, and rejects what is not an ARN', () => {
    expect(parseArn('arn:aws:cloudwatch:us-east-1:111122223333:alarm:bucketguard-x')).toEqual({
      partition: 'aws',
      service: 'cloudwatch',
      region: 'us-east-1',
      accountId: '111122223333',
      resource: 'alarm:bucketguard-x',
    });
    expect(parseArn('arn:aws-cn:iam::111122223333:role/a:b')?.resource).toBe('role/a:b');
    expect(parseArn('arn:aws-us-gov:sts::111122223333:assumed-role/Admin/alice')?.partition).toBe('aws-us-gov');
    expect(parseArn('not-an-arn')).toBeUndefined();
    expect(parseArn(undefined)).toBeUndefined();
  });

  it('reads the account field of an ARN only when it is a 12-digit id', () => {
    expect(arnAccount('arn:aws-cn:s3:cn-north-1:111122223333:accesspoint/ap')).toBe('111122223333');
    expect(arnAccount('arn:aws:s3:::bucket')).toBeUndefined();
    expect(arnAccount('arn:aws:iam::*:role/x')).toBeUndefined();
    expect(arnAccount('arn:aws')).toBeUndefined();
  });

  it.each([
    [undefined, 'aws'],
    ['eu-west-1', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('the partition of Region %s is %s; bucket ARNs use it', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
    expect(bucketArn('example-bucket', region)).toBe(`arn:${partition}:s3:::example-bucket`);
  });
});
