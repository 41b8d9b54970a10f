/**
 * EventBridge routing checked with a pattern matcher we did not write: the exact EventPattern of every
 * AWS::Events::Rule of the synthesized template is installed on moto's EventBridge with an SQS queue as its target;
 * every EventBridge-shaped document in events/ (top-level source, detail-type and detail) is put on the bus; each
 * queue must hold exactly the events the project's own matcher (test/infra/event-pattern-matcher.ts, the reference
 * of test/infra/event-routing.test.ts) says the rule matches, and nothing else.
 *
 * moto differences met here:
 *  - AWS refuses PutEvents entries whose Source starts with "aws." (reserved for AWS services); moto accepts them,
 *    which is what lets the recorded service events be replayed here. On AWS the same check needs TestEventPattern.
 *  - moto's matcher treats an operator it does not know as a match (models.py: `return True`). The patterns use
 *    prefix, anything-but, exists and $or, all of which moto implements; the test fails if a pattern ever uses an
 *    operator outside that list, so a silent match can never pass for agreement. Operators outside it stay covered by
 *    the project's own matcher tests only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { matchesEventPattern } from '../infra/event-pattern-matcher';
import { REPO_ROOT, resourcesOfType, synthBucketGuard } from '../infra/helpers';
import { motoClient, motoSuite } from './moto';
import { drainQueue, queueArn } from './moto-mailbox';

motoSuite();
const EVENTS_ROOT = join(REPO_ROOT, 'events');

/** Operators moto 5.2's matcher implements (moto/events/models.py); anything else would silently match there. */
const MOTO_OPERATORS = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
  'wildcard',
]);

type EventDocument = {
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
  resources?: string[];
  time?: string;
};

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return jsonFiles(path);
      return name.endsWith('.json') ? [path] : [];
    });
}

function isEventBridgeShaped(value: unknown): value is EventDocument {
  const doc = value as Partial<EventDocument> | null;
  return (
    typeof doc === 'object' &&
    doc !== null &&
    typeof doc.source === 'string' &&
    typeof doc['detail-type'] === 'string' &&
    typeof doc.detail === 'object' &&
    doc.detail !== null
  );
}

const EVENTS: [string, EventDocument][] = jsonFiles(EVENTS_ROOT)
  .map((path) => [relative(EVENTS_ROOT, path), JSON.parse(readFileSync(path, 'utf8')) as unknown] as const)
  .filter((entry): entry is [string, EventDocument] => isEventBridgeShaped(entry[1]));

/** Key of an event as it comes back from a queue: source, detail-type and detail, keys sorted. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
const keyOf = (event: EventDocument): string =>
  canonical({ source: event.source, 'detail-type': event['detail-type'], detail: event.detail });

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Operator names of one matcher in a leaf list, nested ones included ({"anything-but": {"prefix": ...}}). */
function matcherOperators(matcher: unknown, found: Set<string>): void {
  if (Array.isArray(matcher)) for (const item of matcher) matcherOperators(item, found);
  if (!isPlainObject(matcher)) return;
  for (const [name, inner] of Object.entries(matcher)) {
    found.add(name);
    matcherOperators(inner, found);
  }
}

/** Every operator name used in a pattern: fields map to sub-patterns or leaf lists; $or lists sub-patterns. */
function operatorsIn(pattern: unknown, found = new Set<string>()): Set<string> {
  if (!isPlainObject(pattern)) return found;
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or' && Array.isArray(value)) for (const alternative of value) operatorsIn(alternative, found);
    else if (Array.isArray(value)) for (const matcher of value) matcherOperators(matcher, found);
    else operatorsIn(value, found);
  }
  return found;
}

test('the operator scan sees nested and $or operators', () => {
  expect([
    ...operatorsIn({
      a: ['x', { prefix: 'p' }],
      b: { $or: [{ c: [{ 'anything-but': { suffix: 's' } }] }, { d: [{ exists: false }] }] },
    }),
  ]).toEqual(['prefix', 'anything-but', 'suffix', 'exists']);
});

interface InstalledRule {
  readonly logicalId: string;
  readonly pattern: unknown;
  readonly queueUrl: string;
}

let rules: InstalledRule[];
let sqs: SQSClient;
const delivered = new Map<string, string[]>();

beforeAll(async () => {
  const template = synthBucketGuard();
  const found = Object.entries(resourcesOfType(template, 'AWS::Events::Rule'));
  const eventBridge = motoClient(EventBridgeClient);
  sqs = motoClient(SQSClient);
  rules = [];
  for (const [logicalId, { Properties }] of found) {
    const name = logicalId.slice(0, 64);
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: `routing-${name}`.slice(0, 80) }));
    const queueUrl = queue.QueueUrl as string;
    await eventBridge.send(
      new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(Properties.EventPattern), State: 'ENABLED' }),
    );
    await eventBridge.send(
      new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'queue', Arn: await queueArn(sqs, queueUrl) }] }),
    );
    rules.push({ logicalId, pattern: Properties.EventPattern, queueUrl });
  }
  for (let at = 0; at < EVENTS.length; at += 10) {
    const batch = EVENTS.slice(at, at + 10);
    const put = await eventBridge.send(
      new PutEventsCommand({
        Entries: batch.map(([, event]) => ({
          Source: event.source,
          DetailType: event['detail-type'],
          Detail: JSON.stringify(event.detail),
          ...(event.resources ? { Resources: event.resources } : {}),
          ...(event.time ? { Time: new Date(event.time) } : {}),
        })),
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
  }
  const fileOf = new Map<string, string[]>();
  for (const [file, event] of EVENTS) fileOf.set(keyOf(event), [...(fileOf.get(keyOf(event)) ?? []), file]);
  for (const rule of rules) {
    const bodies = await drainQueue(sqs, rule.queueUrl);
    delivered.set(
      rule.logicalId,
      bodies
        .flatMap((body) => {
          const files = fileOf.get(keyOf(JSON.parse(body) as EventDocument));
          return files ?? [`(not from events/: ${body.slice(0, 120)})`];
        })
        .sort(),
    );
  }
});

test('the template has the four EventBridge rules and events/ has recorded events of every kind', () => {
  expect(rules.map((rule) => rule.logicalId.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
    'BucketGuardAlarmStateRule',
    'BucketGuardComplianceArchiveRule',
    'BucketGuardComplianceChangeRule',
    'BucketGuardS3ApiCallRule',
  ]);
  expect(new Set(EVENTS.map(([, event]) => event['detail-type']))).toEqual(
    new Set([
      'Config Rules Compliance Change',
      'AWS API Call via CloudTrail',
      'CloudWatch Alarm State Change',
      // events/organization/: a member responder's result (Lambda destination), which no rule of the stack matches.
      'Lambda Function Invocation Result - Success',
    ]),
  );
  expect(EVENTS.length).toBeGreaterThan(30);
});

test('every operator the patterns use is one moto implements (an unknown one would silently match there)', () => {
  for (const rule of rules) {
    const unknown = [...operatorsIn(rule.pattern)].filter((name) => !MOTO_OPERATORS.has(name));
    expect({ rule: rule.logicalId, unknown }).toEqual({ rule: rule.logicalId, unknown: [] });
  }
});

test("each rule's queue holds exactly the events the project's matcher says it matches, and nothing else", () => {
  for (const rule of rules) {
    const expected = EVENTS.filter(([, event]) => matchesEventPattern(rule.pattern, event))
      .map(([file]) => file)
      .sort();
    expect({ rule: rule.logicalId, delivered: delivered.get(rule.logicalId) }).toEqual({
      rule: rule.logicalId,
      delivered: expected,
    });
  }
});

describe.each(EVENTS.map(([file]) => [file]))('%s', (file) => {
  test('lands in the same rules on moto as in the project matcher', () => {
    const event = EVENTS.find(([name]) => name === file)?.[1] as EventDocument;
    const byMoto = rules.filter((rule) => delivered.get(rule.logicalId)?.includes(file)).map((r) => r.logicalId);
    const byMatcher = rules.filter((rule) => matchesEventPattern(rule.pattern, event)).map((r) => r.logicalId);
    expect(byMoto).toEqual(byMatcher);
  });
});
