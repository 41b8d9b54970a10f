// One measured process of the cold-start bench (plain CommonJS: no TypeScript loader in the measured process).
// argv: mode (bare | load | init | invoke | floor), then the bundle or module list, then the event file.
// Reports on fd 3, as JSON: `ms` = performance.now() when done (milliseconds since the process started), `cpuMs`.
const { readFileSync, writeSync } = require('node:fs');

const [mode, arg, eventFile] = process.argv.slice(2);

function report(extra) {
  const cpu = process.cpuUsage();
  writeSync(3, JSON.stringify({ ms: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, ...extra }));
  process.exit(0);
}

function fail(error) {
  writeSync(3, JSON.stringify({ error: String(error?.stack ? error.stack : error) }));
  process.exit(1);
}

const context = {
  functionName: 'bucketguard-bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:bucketguard-bench',
  memoryLimitInMB: '256',
  awsRequestId: '00000000-0000-4000-8000-000000000001',
  logGroupName: '/aws/lambda/bucketguard-bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
  done() {},
  fail() {},
  succeed() {},
};

/** The least each operation needs, sent by bare SDK clients: the floor of an invocation that makes these calls. */
const FLOOR_CALLS = {
  PutEvaluations: [
    '@aws-sdk/client-config-service',
    'ConfigServiceClient',
    'PutEvaluationsCommand',
    () => ({
      ResultToken: 'TESTMODE',
      TestMode: true,
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::S3::Bucket',
          ComplianceResourceId: 'example-bucket',
          ComplianceType: 'COMPLIANT',
          OrderingTimestamp: new Date(),
        },
      ],
    }),
  ],
  BatchGetResourceConfig: [
    '@aws-sdk/client-config-service',
    'ConfigServiceClient',
    'BatchGetResourceConfigCommand',
    () => ({
      resourceKeys: [{ resourceType: 'AWS::S3::AccountPublicAccessBlock', resourceId: '111122223333' }],
    }),
  ],
  'GetPublicAccessBlock (account)': [
    '@aws-sdk/client-s3-control',
    'S3ControlClient',
    'GetPublicAccessBlockCommand',
    () => ({ AccountId: '111122223333' }),
  ],
  GetBucketAcl: ['@aws-sdk/client-s3', 'S3Client', 'GetBucketAclCommand', () => ({ Bucket: 'example-bucket-1' })],
  GetBucketPolicy: ['@aws-sdk/client-s3', 'S3Client', 'GetBucketPolicyCommand', () => ({ Bucket: 'example-bucket-1' })],
  GetPublicAccessBlock: [
    '@aws-sdk/client-s3',
    'S3Client',
    'GetPublicAccessBlockCommand',
    () => ({ Bucket: 'example-bucket-1' }),
  ],
  GetBucketVersioning: [
    '@aws-sdk/client-s3',
    'S3Client',
    'GetBucketVersioningCommand',
    () => ({ Bucket: 'example-bucket-1' }),
  ],
  GetBucketOwnershipControls: [
    '@aws-sdk/client-s3',
    'S3Client',
    'GetBucketOwnershipControlsCommand',
    () => ({ Bucket: 'example-bucket-1' }),
  ],
  GetBucketTagging: [
    '@aws-sdk/client-s3',
    'S3Client',
    'GetBucketTaggingCommand',
    () => ({ Bucket: 'example-bucket-1' }),
  ],
  Publish: [
    '@aws-sdk/client-sns',
    'SNSClient',
    'PublishCommand',
    () => ({ TopicArn: 'arn:aws:sns:us-east-1:111122223333:bucketguard', Subject: 's', Message: 'm' }),
  ],
  UpdateItem: [
    '@aws-sdk/client-dynamodb',
    'DynamoDBClient',
    'UpdateItemCommand',
    () => ({
      TableName: 'bucketguard-flap',
      Key: { target: { S: 'x' } },
      UpdateExpression: 'ADD #c :one',
      ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':one': { N: '1' } },
    }),
  ],
};

async function floor(operations) {
  const clients = new Map();
  for (const operation of operations) {
    const spec = FLOOR_CALLS[operation];
    if (!spec) throw new Error(`no floor call for ${operation}`);
    const [pkg, clientName, commandName, input] = spec;
    const sdk = require(pkg);
    if (!clients.has(pkg)) clients.set(pkg, new sdk[clientName]({}));
    try {
      await clients.get(pkg).send(new sdk[commandName](input()));
    } catch (error) {
      // A 404 "not configured" answer is an answer: the round trip happened.
      if (!error?.$metadata) throw error;
    }
  }
}

switch (mode) {
  case 'bare':
    report();
    break;
  case 'load':
    for (const name of JSON.parse(arg)) require(name);
    report();
    break;
  case 'init':
    require(arg);
    report();
    break;
  case 'invoke': {
    const { handler } = require(arg);
    const initMs = performance.now();
    const event = JSON.parse(readFileSync(eventFile, 'utf8'));
    Promise.resolve(handler(event, context)).then(() => report({ initMs }), fail);
    break;
  }
  case 'floor':
    floor(JSON.parse(arg)).then(() => report(), fail);
    break;
  default:
    fail(new Error(`unknown mode ${mode}`));
}
