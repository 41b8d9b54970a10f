import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbFlapStore, flapKey, InMemoryFlapStore } from '../../../remediation/flap-store/flap-store';

const dynamoMock = mockClient(DynamoDBClient);
const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
const NOW = new Date('2024-03-20T12:00:00Z');
const NOW_S = 1710936000;
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const item = (attempts: number, start: number) => ({
  Attributes: {
    target: { S: 'k' },
    attempts: { N: String(attempts) },
    windowStart: { N: String(start) },
    expiresAt: { N: String(start + 3600) },
  },
});

beforeEach(() => dynamoMock.reset());

describe('DynamoDbFlapStore', () => {
  const store = new DynamoDbFlapStore(dynamodb, 'bucketguard-flaps', 3, 3600);

  it('counts inside the open window with one atomic conditional UpdateItem', async () => {
    dynamoMock.on(UpdateItemCommand).resolves(item(2, NOW_S - 600));
    expect(await store.recordAttempt('block-public-access#b', NOW)).toEqual({
      count: 2,
      windowStartedAt: new Date((NOW_S - 600) * 1000),
    });
    expect(dynamoMock).toHaveReceivedCommandTimes(UpdateItemCommand, 1);
    expect(dynamoMock.commandCalls(UpdateItemCommand)[0].args[0].input).toEqual({
      TableName: 'bucketguard-flaps',
      Key: { target: { S: 'block-public-access#b' } },
      UpdateExpression:
        'ADD #count :one SET #start = if_not_exists(#start, :now), #expires = if_not_exists(#expires, :expires)',
      ConditionExpression: 'attribute_not_exists(#start) OR #start > :windowFloor',
      ExpressionAttributeNames: { '#count': 'attempts', '#start': 'windowStart', '#expires': 'expiresAt' },
      ExpressionAttributeValues: {
        ':one': { N: '1' },
        ':now': { N: String(NOW_S) },
        ':expires': { N: String(NOW_S + 3600) },
        ':windowFloor': { N: String(NOW_S - 3600) },
      },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('starts a new window (reset to 1) once the stored one has passed', async () => {
    dynamoMock.on(UpdateItemCommand).rejectsOnce(conditionFailed()).resolves(item(1, NOW_S));
    expect(await store.recordAttempt('k', NOW)).toEqual({ count: 1, windowStartedAt: NOW });
    const reset = dynamoMock.commandCalls(UpdateItemCommand)[1].args[0].input;
    expect(reset.UpdateExpression).toBe('SET #count = :one, #start = :now, #expires = :expires');
    expect(reset.ConditionExpression).toBe('#start <= :windowFloor');
  });

  it('retries the count when another invocation reset the window first', async () => {
    dynamoMock
      .on(UpdateItemCommand)
      .rejectsOnce(conditionFailed())
      .rejectsOnce(conditionFailed())
      .resolves(item(2, NOW_S));
    expect((await store.recordAttempt('k', NOW)).count).toBe(2);
    expect(dynamoMock).toHaveReceivedCommandTimes(UpdateItemCommand, 3);
  });

  it('passes other DynamoDB errors on (the engine then changes nothing)', async () => {
    dynamoMock.on(UpdateItemCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(store.recordAttempt('k', NOW)).rejects.toThrow('denied');
  });

  it('refuses a response without the counter attributes', async () => {
    dynamoMock.on(UpdateItemCommand).resolves({ Attributes: {} });
    await expect(store.recordAttempt('k', NOW)).rejects.toThrow(
      'flap counter for k came back without attempts/windowStart',
    );
  });
});

describe('InMemoryFlapStore', () => {
  it('has the same window semantics', async () => {
    const store = new InMemoryFlapStore(3, 60);
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    expect((await store.recordAttempt('k', at(0))).count).toBe(1);
    expect((await store.recordAttempt('k', at(59))).count).toBe(2);
    expect(await store.recordAttempt('k', at(60))).toEqual({ count: 1, windowStartedAt: at(60) });
    expect((await store.recordAttempt('other', at(60))).count).toBe(1);
  });

  it('keys by action and target', () => {
    expect(flapKey('block-public-access', 'example-private-data')).toBe('block-public-access#example-private-data');
  });
});
