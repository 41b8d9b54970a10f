/**
 * Anti-flapping: remember how often each target was remediated in the current window, so bucketguard stops (and
 * says so) when something, typically IaC or a script, keeps undoing its fix, instead of fighting it forever.
 *
 * Why a DynamoDB table and not a tag on the bucket: PutBucketTagging replaces the whole tag set, so a counter tag
 * is a read-modify-write that races with IaC (which then "fixes" the tags back, one more flap); it would need
 * s3:PutBucketTagging, a permission that can also delete exemption tags; and every count would be a recorded
 * configuration change. One UpdateItem is atomic, needs no read first, and the TTL attribute cleans items up.
 */
import type { DynamoDBClient, UpdateItemCommandInput, UpdateItemCommandOutput } from '@aws-sdk/client-dynamodb';

/**
 * The DynamoDB package, required at the first count rather than imported: the engine imports this module (flapKey),
 * and the remediation Lambda would otherwise load DynamoDB at every cold start, notify mode included.
 */
const dynamodbSdk = (): typeof import('@aws-sdk/client-dynamodb') => require('@aws-sdk/client-dynamodb');

/** Partition key and TTL attribute of the flap table; infra creates the table with exactly these. */
export const FLAP_TABLE_PARTITION_KEY = 'target';
export const FLAP_TABLE_TTL_ATTRIBUTE = 'expiresAt';

export interface FlapCount {
  /** Remediations of this key in the current window, the one being recorded included. */
  readonly count: number;
  readonly windowStartedAt: Date;
}

export interface FlapStore {
  readonly limit: number;
  readonly windowSeconds: number;
  /** Atomically counts one more remediation of `key` at `now` (a new window starts once the old one has passed). */
  recordAttempt(key: string, now: Date): Promise<FlapCount>;
}

/** `block-public-access#my-bucket`: counted per action, so a fight over versioning does not stop BPA fixes. */
export function flapKey(action: string, target: string): string {
  return `${action}#${target}`;
}

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

type WindowUpdate = Pick<UpdateItemCommandInput, 'UpdateExpression' | 'ConditionExpression'>;

/** ADD 1 while the stored window is still open (or no item exists yet). */
const COUNT_IN_CURRENT_WINDOW: WindowUpdate = {
  UpdateExpression:
    'ADD #count :one SET #start = if_not_exists(#start, :now), #expires = if_not_exists(#expires, :expires)',
  ConditionExpression: 'attribute_not_exists(#start) OR #start > :windowFloor',
};

/** Window passed: reset to 1, but only if nobody else reset it first. DynamoDB TTL deletes lazily, so never rely on it. */
const START_NEW_WINDOW: WindowUpdate = {
  UpdateExpression: 'SET #count = :one, #start = :now, #expires = :expires',
  ConditionExpression: '#start <= :windowFloor',
};

export class DynamoDbFlapStore implements FlapStore {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly tableName: string,
    readonly limit: number,
    readonly windowSeconds: number,
  ) {}

  async recordAttempt(key: string, now: Date): Promise<FlapCount> {
    // Two tries: a concurrent invocation may start the new window between our two conditional writes. This loop is
    // about that race only; throttling and 5xx are the DynamoDB client's to retry, and any other error is thrown.
    for (let attempt = 0; attempt < 2; attempt++) {
      const counted = await this.conditionalUpdate(key, now, COUNT_IN_CURRENT_WINDOW);
      if (counted) return counted;
      const restarted = await this.conditionalUpdate(key, now, START_NEW_WINDOW);
      if (restarted) return restarted;
    }
    throw new Error(`flap counter for ${key} kept changing under concurrent updates`);
  }

  private names = { '#count': 'attempts', '#start': 'windowStart', '#expires': FLAP_TABLE_TTL_ATTRIBUTE };

  /** One atomic UpdateItem of `key` at `now`; undefined when its condition does not hold. */
  private async conditionalUpdate(key: string, now: Date, update: WindowUpdate): Promise<FlapCount | undefined> {
    const nowSeconds = epochSeconds(now);
    const { ConditionalCheckFailedException, UpdateItemCommand } = dynamodbSdk();
    try {
      const output = await this.dynamodb.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [FLAP_TABLE_PARTITION_KEY]: { S: key } },
          ...update,
          ExpressionAttributeNames: this.names,
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':now': { N: String(nowSeconds) },
            ':expires': { N: String(nowSeconds + this.windowSeconds) },
            ':windowFloor': { N: String(nowSeconds - this.windowSeconds) },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return this.countOf(output, key);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  private countOf(output: UpdateItemCommandOutput, key: string): FlapCount {
    const count = Number(output.Attributes?.attempts?.N);
    const start = Number(output.Attributes?.windowStart?.N);
    if (!Number.isInteger(count) || !Number.isFinite(start)) {
      throw new Error(`flap counter for ${key} came back without attempts/windowStart`);
    }
    return { count, windowStartedAt: new Date(start * 1000) };
  }
}

/** Same semantics in memory: for replay, the CLI and tests. */
export class InMemoryFlapStore implements FlapStore {
  private readonly items = new Map<string, { count: number; start: number }>();

  constructor(
    readonly limit: number,
    readonly windowSeconds: number,
  ) {}

  async recordAttempt(key: string, now: Date): Promise<FlapCount> {
    const nowSeconds = epochSeconds(now);
    const item = this.items.get(key);
    const next =
      item && item.start > nowSeconds - this.windowSeconds
        ? { count: item.count + 1, start: item.start }
        : { count: 1, start: nowSeconds };
    this.items.set(key, next);
    return { count: next.count, windowStartedAt: new Date(next.start * 1000) };
  }
}
