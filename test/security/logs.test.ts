/**
 * What the Lambdas print: every line is one JSON object (Powertools structured logging), and no line carries a
 * credential, an e-mail address or an account id that the input did not carry. Runs every recorded event and a few
 * hundred damaged ones through each rule handler, the remediation and the notify Lambda with a real Powertools Logger
 * at DEBUG level, and with faults on the AWS calls so the error paths log too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetBucketOwnershipControlsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { InMemoryFlapStore } from '../../remediation/flap-store/flap-store';
import { createRemediationHandler, remediationResponder } from '../../remediation/handler';
import { createNotifyHandler, notifyResponder } from '../../remediation/notify/handler';
import { powertoolsLogger } from '../../remediation/runtime/logger';
import { createRemediationRuntime } from '../../remediation/runtime/runtime';
import { RULES } from '../../rules';
import { createRuleHandler } from '../../rules/config-protocol/adapter';
import { faultError } from '../faults/support/fault-injector';
import { REMEDIATE_ALL, responseEventArb } from '../fuzz/properties/response-properties';
import { ruleCaseArb } from '../fuzz/properties/rule-properties';
import { changeInvokingEvent, configInvocation } from '../support/config-invocation-arbitraries';
import { fixturesOfKind, loadFixtures } from '../support/fixtures';

const CREDENTIAL_PATTERNS: readonly RegExp[] = [
  /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/g,
  /\bAWS4-HMAC-SHA256\b/g,
  /x-amz-security-token/gi,
];
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

/**
 * E-mail addresses in a line, found from each "@" outwards (a plain regex is quadratic on the 1 MB lines that
 * damaged events produce). Local part up to 64 characters, domain up to 255, as RFC 5321 allows.
 */
function emailsIn(line: string): string[] {
  const found: string[] = [];
  for (let at = line.indexOf('@'); at >= 0; at = line.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL_CHAR.test(line[start - 1])) start--;
    const domain = DOMAIN.exec(line.slice(at + 1, at + 256));
    if (start < at && domain) found.push(`${line.slice(start, at)}@${domain[0]}`);
  }
  return found;
}
const ACCOUNT_ID = /(?<![\d.])\d{12}(?![\d.])/g;
/** Environment secrets the SDK holds (test/setup-env.ts sets fake ones); none may ever be printed. */
const SECRETS = [process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN].filter(
  (s): s is string => !!s && s.length > 8,
);

/** All text an input carries, including JSON strings inside it, for "was it in the input?" checks. */
function inputText(...values: unknown[]): string {
  const parts: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 10) return;
    if (typeof value === 'string') {
      parts.push(value);
      if (/^\s*[[{"]/.test(value)) {
        try {
          visit(JSON.parse(value), depth + 1);
        } catch {
          // not JSON
        }
      }
    } else if (typeof value === 'number') parts.push(String(value));
    else if (typeof value === 'object' && value !== null)
      for (const child of Object.values(value)) visit(child, depth + 1);
  };
  for (const value of values) visit(value, 0);
  return parts.join('\n');
}

/** Problems in what the Lambda printed for one input. */
function lineProblems(lines: readonly string[], input: string): string[] {
  const problems: string[] = [];
  for (const line of lines) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push(`not a JSON line: ${line.slice(0, 200)}`);
      continue;
    }
    const record = parsed as Record<string, unknown>;
    if (
      typeof record.level !== 'string' ||
      typeof record.message !== 'string' ||
      typeof record.timestamp !== 'string'
    ) {
      problems.push(`not a structured log entry: ${line.slice(0, 200)}`);
    }
    for (const secret of SECRETS)
      if (line.includes(secret)) problems.push('an AWS secret from the environment was logged');
    for (const pattern of CREDENTIAL_PATTERNS) {
      for (const match of line.match(pattern) ?? [])
        if (!input.includes(match)) problems.push(`credential-looking ${match} not from the input`);
    }
    for (const match of emailsIn(line)) if (!input.includes(match)) problems.push(`e-mail ${match} not from the input`);
    for (const match of line.match(ACCOUNT_ID) ?? [])
      if (!input.includes(match)) problems.push(`account id ${match} not from the input`);
  }
  return problems;
}

/** Captures what is written to stdout / stderr while `run` runs (Powertools writes through a Console on them). */
async function capture(run: () => Promise<unknown>): Promise<string[]> {
  const chunks: string[] = [];
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await run().catch(() => undefined);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

const previousLevel = process.env.POWERTOOLS_LOG_LEVEL;
beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});
afterAll(() => {
  if (previousLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = previousLevel;
});

const fixtures = loadFixtures();

describe('rule Lambdas log structured JSON without secrets', () => {
  const config = new ConfigServiceClient({ region: 'us-east-1' });
  const s3 = new S3Client({ region: 'us-east-1' });
  const s3control = new S3ControlClient({ region: 'us-east-1' });
  const configMock = mockClient(config);
  const s3Mock = mockClient(s3);
  const s3controlMock = mockClient(s3control);
  let call = 0;
  /** Every third PutEvaluations and account read fails, so the retry and failure paths log as well. */
  configMock.on(PutEvaluationsCommand).callsFake(() => {
    call++;
    if (call % 3 === 0) throw faultError(call % 2 === 0 ? 'throttling' : 'access-denied', 'config');
    return { FailedEvaluations: [] };
  });
  configMock.on(GetResourceConfigHistoryCommand).rejects(faultError('5xx', 'config'));
  configMock.on(ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [] });
  configMock.on(BatchGetResourceConfigCommand).resolves({ baseConfigurationItems: [] });
  s3controlMock.on(GetPublicAccessBlockCommand).callsFake(() => {
    throw faultError('access-denied', 's3control');
  });
  s3Mock.on(GetBucketOwnershipControlsCommand).rejects(faultError('timeout', 's3'));

  const invocations = [
    ...fixturesOfKind('config-invocation', fixtures).map((f) => f.json),
    ...fixturesOfKind('configuration-item', fixtures).map((f) => configInvocation(changeInvokingEvent(f.json))),
  ];

  it.each(RULES.map((rule) => [rule.id, rule] as const))(
    '%s: recorded and damaged events',
    async (_id, rule) => {
      const logger = new Logger({ serviceName: 'bucketguard-rules', logLevel: 'DEBUG' });
      const handler = createRuleHandler(rule, {
        clients: () => ({ config, s3, s3control }),
        logger,
        sleep: async () => undefined,
        random: () => 0.5,
      });
      const damaged = fc.sample(ruleCaseArb(`bucketguard-${rule.id}`), { numRuns: 150, seed: 11 }).map((c) => c.event);
      let lines = 0;
      for (const event of [...invocations, ...damaged]) {
        const printed = await capture(() => handler(event));
        lines += printed.length;
        const problems = lineProblems(printed, inputText(event));
        if (problems.length > 0)
          throw new Error(`${problems.join('\n')}\nevent: ${JSON.stringify(event).slice(0, 600)}`);
      }
      expect(lines).toBeGreaterThan(invocations.length);
    },
    120_000,
  );
});

describe('remediation and notify Lambdas log structured JSON without secrets', () => {
  const responseFixtures = (['compliance-change', 'cloudtrail', 'alarm', 'sns'] as const).flatMap((kind) =>
    fixturesOfKind(kind, fixtures).map((f) => f.json),
  );
  const generated = fc.sample(responseEventArb(), { numRuns: 300, seed: 12 }).map((c) => c.event);
  const s3 = new S3Client({ region: 'us-east-1' });
  const s3control = new S3ControlClient({ region: 'us-east-1' });
  const s3Mock = mockClient(s3);
  const s3controlMock = mockClient(s3control);
  // Every S3 call fails: the remediation logs each failure (and the outcome) on the way.
  s3Mock.onAnyCommand().rejects(faultError('access-denied', 's3'));
  s3controlMock.onAnyCommand().rejects(faultError('5xx', 's3control'));
  let published = 0;
  const publish = async (): Promise<void> => {
    published++;
    if (published % 4 === 0) throw faultError('throttling', 'sns');
  };
  const configText = inputText(REMEDIATE_ALL);

  it.each(['remediation', 'notify'] as const)(
    '%s',
    async (role) => {
      const logger = powertoolsLogger(new Logger({ serviceName: `bucketguard-${role}`, logLevel: 'DEBUG' }));
      const run =
        role === 'remediation'
          ? remediationResponder({
              config: REMEDIATE_ALL,
              s3,
              s3control,
              publish,
              logger,
              flapStore: new InMemoryFlapStore(1_000, 3_600),
              applyOptions: { sleep: async () => undefined },
            })
          : notifyResponder({ config: REMEDIATE_ALL, publish, logger });
      let lines = 0;
      for (const event of [...responseFixtures, ...generated]) {
        const printed = await capture(() => run(event));
        lines += printed.length;
        const problems = lineProblems(printed, `${inputText(event)}\n${configText}`);
        if (problems.length > 0)
          throw new Error(`${problems.join('\n')}\nevent: ${JSON.stringify(event).slice(0, 600)}`);
      }
      expect(lines).toBeGreaterThan(responseFixtures.length);
    },
    120_000,
  );
});

describe('Lambda logs carry the invocation context', () => {
  const context = (functionName: string, awsRequestId: string): Context => ({
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:111122223333:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2025/06/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  });
  const event = (file: string): unknown =>
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', file), 'utf8')) as unknown;
  const s3 = new S3Client({ region: 'us-east-1' });
  const s3control = new S3ControlClient({ region: 'us-east-1' });
  const sns = new SNSClient({ region: 'us-east-1' });
  const config = new ConfigServiceClient({ region: 'us-east-1' });
  mockClient(s3).onAnyCommand().rejects(faultError('access-denied', 's3'));
  mockClient(s3control).onAnyCommand().rejects(faultError('access-denied', 's3control'));
  mockClient(sns).on(PublishCommand).resolves({ MessageId: 'm-1' });
  const configMock = mockClient(config);
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  configMock.on(BatchGetResourceConfigCommand).resolves({ baseConfigurationItems: [] });
  // Lambda sets it; Powertools reports cold_start true only for on-demand environments.
  const previousInitType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  beforeAll(() => {
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  });
  afterAll(() => {
    if (previousInitType === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = previousInitType;
  });
  const env = { BUCKETGUARD_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bucketguard-alerts' };

  /** The parsed lines one invocation prints (with Lambda's context, or with only the event). */
  const invoke = async (
    handler: (event: unknown, context?: Context) => Promise<unknown>,
    ...args: [unknown, Context?]
  ) => (await capture(() => handler(...args))).map((line) => JSON.parse(line) as Record<string, unknown>);

  it.each([
    [
      'a rule',
      () => createRuleHandler(RULES[0], { clients: () => ({ config, s3, s3control }) }),
      'invocations/change-public-read-acl.json',
    ],
    [
      'the remediation',
      () =>
        createRemediationHandler(() =>
          createRemediationRuntime('bucketguard-remediation', env, () => ({
            s3,
            s3control,
            sns,
            dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
          })),
        ),
      'cloudtrail/delete-bucket-public-access-block.json',
    ],
    ['the notify', () => createNotifyHandler(env, () => sns), 'eventbridge/compliance-resolved.json'],
  ] as const)('%s Lambda: request id, cold start and function name on every line', async (_label, create, file) => {
    const handler = create();
    const name = `bucketguard-${_label.replace(/^(a|the) /, '')}`;
    // Called with only an event (CLI replay, tests), the handler runs and logs without invocation fields.
    const bare = await invoke(handler, event(file));
    expect(bare.length).toBeGreaterThan(0);
    for (const line of bare) expect(line.function_request_id).toBeUndefined();
    const first = await invoke(handler, event(file), context(name, 'c6af9ac6-7b61-11e6-9a41-93e812345678'));
    expect(first.length).toBeGreaterThan(0);
    for (const line of first) {
      expect(line).toMatchObject({
        function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
        cold_start: true,
        function_name: name,
      });
    }
    const second = await invoke(handler, event(file), context(name, '0f0e0d0c-1b2a-4c3d-8e9f-a0b1c2d3e4f5'));
    expect(second.length).toBeGreaterThan(0);
    for (const line of second) {
      expect(line).toMatchObject({
        function_request_id: '0f0e0d0c-1b2a-4c3d-8e9f-a0b1c2d3e4f5',
        cold_start: false,
        function_name: name,
      });
    }
  });
});

it('the line checks catch what they look for', () => {
  const line = JSON.stringify({
    level: 'INFO',
    message: 'x',
    timestamp: 't',
    key: 'AKIAABCDEFGHIJKLMNOP',
    mail: 'ops@example.com',
    account: '123456789012',
  });
  expect(lineProblems([line], '')).toEqual([
    'credential-looking AKIAABCDEFGHIJKLMNOP not from the input',
    'e-mail ops@example.com not from the input',
    'account id 123456789012 not from the input',
  ]);
  expect(lineProblems([line], 'AKIAABCDEFGHIJKLMNOP ops@example.com 123456789012')).toEqual([]);
  expect(lineProblems(['plain text'], '')).toEqual(['not a JSON line: plain text']);
});
