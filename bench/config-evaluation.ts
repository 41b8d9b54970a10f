/**
 * Config rule evaluation vs JSON.parse, on a realistic mix of Config rule invocation events generated from the
 * events/ fixtures (varied bucket names; invocation-model items as change notifications carry them, API-model items
 * as the oversized and periodic paths fetch them, some advanced-query rows; bucket policies of realistic size).
 *
 *  parse    = what any reader must do: JSON.parse the invokingEvent, then the JSON strings nested in the item
 *             (configuration, every supplementary value, the policy text; repeatedly, for double encoding).
 *  evaluate = bucketguard's pure path on the already-parsed invoking event: normalise the item, run every rule
 *             (exemptions, exposure analysis included). No SDK, no I/O.
 * Warm-up rounds first, then ROUNDS rounds. Within a round the two sides are timed in pairs, batch by batch
 * (PARSE_BATCH events: parse them, evaluate them, the order alternating from batch to batch and round to round, so that
 * garbage one side leaves behind is not always collected during the other). On a shared two-core machine whole
 * seconds run 50% slower now and then; timing each side in its own block put such spells into one side's rounds and
 * moved the median ratio between 1.06 and 1.47 for the same code, while paired batches see the same conditions.
 * The headline is the median of the per-round ratios.
 * The evaluate side gets its events parsed (untimed) a batch at a time just before it evaluates them, as a handler
 * parses one event and then evaluates it: parsing all 10,000 first would keep 26 MB of items alive that only the
 * harness holds, and the timed region would pay for the garbage collector moving them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { toApiModel } from '../bin/offline/world';
import { type NormalizedItem, normalizeConfigurationItem } from '../model/normalize';
import { type EvaluationContext, known, type PublicAccessBlockFlags, unknown } from '../model/types';
import { RULES } from '../rules';
import { parseRuleParameters } from '../rules/parameters';
import { evaluateAccount, evaluateBucket } from '../rules/run-rule';

const WARM_UP_ROUNDS = 3;
const ROUNDS = 15;
const PARSE_BATCH = 100;
const ACCOUNT = '123456789012';

export interface BenchEvents {
  /** The Lambda events, as Config delivers them (invokingEvent a JSON string). */
  readonly events: readonly { readonly invokingEvent: string }[];
  readonly description: string;
}

type Item = Record<string, unknown>;
type Model = 'invocation' | 'api' | 'advanced-query';

function modelOf(item: Item): Model {
  if (typeof item.configuration === 'string') return 'api';
  if ('awsAccountId' in item || 'ARN' in item) return 'invocation';
  return 'advanced-query';
}

/** A bucket policy of the size and variety seen in practice (4 to 9 statements, conditions, role lists). */
function realisticPolicy(bucket: string, seed: number): Record<string, unknown> {
  const arn = `arn:aws:s3:::${bucket}`;
  const roles = Array.from({ length: 2 + (seed % 4) }, (_, k) => `arn:aws:iam::${ACCOUNT}:role/app-${seed % 97}-${k}`);
  const statements: Record<string, unknown>[] = [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'AppRolesReadWrite',
      Effect: 'Allow',
      Principal: { AWS: roles },
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
      Resource: [arn, `${arn}/*`],
    },
    {
      Sid: 'OrgRead',
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: `${arn}/shared/*`,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    },
    {
      Sid: 'VpcEndpointOnly',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `${arn}/internal/*`,
      Condition: { StringEquals: { 'aws:SourceVpce': `vpce-0${(seed % 9) + 1}a2b3c4d5e6f7a8b` } },
    },
  ];
  if (seed % 2 === 0) {
    statements.push({
      Sid: 'AllowCloudFrontOAC',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${arn}/*`,
      Condition: {
        StringEquals: { 'AWS:SourceArn': `arn:aws:cloudfront::${ACCOUNT}:distribution/E2EXAMPLE${seed % 10}` },
      },
    });
  }
  if (seed % 3 === 0) {
    statements.push({
      Sid: 'PartnerDrop',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 's3:PutObject',
      Resource: `${arn}/incoming/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    });
  }
  if (seed % 5 === 0) {
    statements.push({
      Sid: 'OfficeIps',
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: [arn, `${arn}/*`],
      Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.17/32'] } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

function withPolicy(item: Item, model: Model, policy: Record<string, unknown>): Item {
  const supplementary = { ...(item.supplementaryConfiguration as Item | undefined) };
  const value = { policyText: JSON.stringify(policy) };
  supplementary.BucketPolicy = model === 'api' ? JSON.stringify(value) : value;
  return { ...item, supplementaryConfiguration: supplementary };
}

function hasPolicy(item: Item): boolean {
  const raw = (item.supplementaryConfiguration as Item | undefined)?.BucketPolicy;
  const value = typeof raw === 'string' ? (JSON.parse(raw) as Item) : (raw as Item | undefined);
  return typeof value?.policyText === 'string';
}

/** `count` invocation events cycling over the fixture items, each bucket renamed, half converted to the API model. */
export function buildConfigEvaluationEvents(templates: readonly unknown[], count: number): BenchEvents {
  const usable = templates.filter((template): template is Item => {
    try {
      normalizeConfigurationItem(template);
      return true;
    } catch {
      return false;
    }
  });
  if (usable.length === 0) throw new Error('no usable configuration items under events/');
  const models = { invocation: 0, api: 0, 'advanced-query': 0 };
  let withPolicies = 0;
  let policyBytes = 0;
  let totalBytes = 0;
  const events = Array.from({ length: count }, (_, index) => {
    const template = usable[index % usable.length];
    const name = String(template.resourceId);
    const isBucket = template.resourceType === 'AWS::S3::Bucket';
    const renamed = isBucket ? `${name.slice(0, 40)}-${index}` : name;
    let item = (isBucket ? JSON.parse(JSON.stringify(template).split(name).join(renamed)) : template) as Item;
    let model = modelOf(item);
    if (model === 'invocation' && index % 2 === 1) {
      item = JSON.parse(JSON.stringify(toApiModel(item))) as Item;
      model = 'api';
    }
    const deleted = String(item.configurationItemStatus).startsWith('ResourceDeleted');
    if (isBucket && !deleted && !hasPolicy(item) && index % 5 < 2) {
      const policy = realisticPolicy(renamed, index);
      item = withPolicy(item, model, policy);
      policyBytes += JSON.stringify(policy).length;
    }
    if (isBucket && hasPolicy(item)) withPolicies++;
    models[model]++;
    const invokingEvent = JSON.stringify({
      configurationItemDiff: null,
      configurationItem: item,
      notificationCreationTime: '2024-09-10T12:00:00.000Z',
      messageType: 'ConfigurationItemChangeNotification',
      recordVersion: '1.3',
    });
    totalBytes += invokingEvent.length;
    return { invokingEvent };
  });
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  return {
    events,
    description:
      `${count} events from ${usable.length} fixture items: ${models.invocation} invocation-model, ${models.api} API-model, ` +
      `${models['advanced-query']} advanced-query; ${withPolicies} with a bucket policy (generated ones avg ${kb(policyBytes / Math.max(1, Math.round(count * 0.4)))} KB); ` +
      `avg invokingEvent ${kb(totalBytes / count)} KB`,
  };
}

/** What a plain reader does: parse the event, then every JSON string inside the item until it is no longer one. */
function plainParse(invokingEvent: string): number {
  const event = JSON.parse(invokingEvent) as Item;
  const item = event.configurationItem as Item;
  let touched = 0;
  const deep = (value: unknown): unknown => {
    let current = value;
    while (typeof current === 'string') {
      const first = current.charCodeAt(0);
      // Only strings that can be JSON documents ({, [ or ").
      if (first !== 123 && first !== 91 && first !== 34) break;
      try {
        current = JSON.parse(current);
        touched++;
      } catch {
        break;
      }
    }
    return current;
  };
  item.configuration = deep(item.configuration);
  const supplementary = item.supplementaryConfiguration as Item | undefined;
  if (supplementary) {
    for (const key of Object.keys(supplementary)) {
      const value = deep(supplementary[key]);
      if (key === 'BucketPolicy' && value && typeof value === 'object') {
        (value as Item).policyText = deep((value as Item).policyText);
      }
      supplementary[key] = value;
    }
  }
  return touched;
}

/** Every configuration item under events/ (any model), the templates of the generated events. */
export function loadFixtureItems(root: string): unknown[] {
  const items: unknown[] = [];
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
      return;
    }
    if (!path.endsWith('.json')) return;
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return;
    }
    collectItems(value, items);
  };
  visit(root);
  return items;
}

function collectItems(value: unknown, into: unknown[]): void {
  if (typeof value === 'string') {
    try {
      collectItems(JSON.parse(value), into);
    } catch {
      // not JSON: not an item
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const element of value) collectItems(element, into);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  if (typeof record.invokingEvent === 'string') {
    collectItems((JSON.parse(record.invokingEvent) as Record<string, unknown>).configurationItem, into);
  } else if (Array.isArray(record.configurationItems) || Array.isArray(record.baseConfigurationItems)) {
    collectItems(record.configurationItems ?? [], into);
    collectItems(record.baseConfigurationItems ?? [], into);
  } else if (Array.isArray(record.Results)) {
    collectItems(record.Results, into);
  } else if (record.resourceType === 'AWS::S3::Bucket' || record.resourceType === 'AWS::S3::AccountPublicAccessBlock') {
    into.push(record);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const ACCOUNT_BPA_VARIANTS = [
  known<PublicAccessBlockFlags | null>({
    blockPublicAcls: true,
    ignorePublicAcls: true,
    blockPublicPolicy: true,
    restrictPublicBuckets: true,
  }),
  known<PublicAccessBlockFlags | null>(null),
  unknown<PublicAccessBlockFlags | null>('not provided'),
];

export function runConfigEvaluationBench(input: BenchEvents): string[] {
  const { events } = input;
  const params = RULES.map((rule) => parseRuleParameters(rule, undefined));
  const now = new Date('2024-09-10T12:00:00.000Z');
  const contexts: EvaluationContext[] = ACCOUNT_BPA_VARIANTS.map((accountBpa) => ({ accountBpa, now }));
  let sink = 0;

  const evaluateOne = (state: NormalizedItem, index: number): void => {
    const context = contexts[index % contexts.length];
    for (let r = 0; r < RULES.length; r++) {
      const rule = RULES[r];
      if (state.kind === 'bucket' && rule.target === 'bucket') {
        sink += evaluateBucket(rule, state, params[r], context).annotation.length;
      } else if (state.kind === 'account' && rule.target === 'account') {
        sink += evaluateAccount(rule, state.accountId, state, params[r], { accountBpa: state.publicAccessBlock, now })
          .annotation.length;
      }
    }
  };
  /** The handler's JSON.parse of invokingEvent (what `parse` measures), untimed, fresh for every timed use. */
  const itemsOf = (first: number, end: number): unknown[] => {
    const items: unknown[] = [];
    for (let i = first; i < end; i++) items.push((JSON.parse(events[i].invokingEvent) as Item).configurationItem);
    return items;
  };
  const timeParseBatch = (first: number, end: number): bigint => {
    const start = process.hrtime.bigint();
    for (let i = first; i < end; i++) sink += plainParse(events[i].invokingEvent);
    return process.hrtime.bigint() - start;
  };
  const timeWorkBatch = (items: readonly unknown[], first: number, work: (item: unknown, index: number) => void) => {
    const start = process.hrtime.bigint();
    for (let k = 0; k < items.length; k++) work(items[k], first + k);
    return process.hrtime.bigint() - start;
  };
  const evaluateWork = (item: unknown, index: number): void => evaluateOne(normalizeConfigurationItem(item), index);
  const normaliseWork = (item: unknown): void => {
    sink += normalizeConfigurationItem(item).kind.length;
  };
  /**
   * One round: for each batch of PARSE_BATCH events, `parse` of the batch and `work` on the same batch, timed back to
   * back (which goes first alternates from batch to batch and round to round). Pairing at this grain means a slow spell
   * of a shared machine, which lasts seconds, slows both sides alike instead of landing in one side's rounds.
   */
  const timeRound = (round: number, work: (item: unknown, index: number) => void) => {
    let parse = 0n;
    let evaluate = 0n;
    for (let first = 0, batch = 0; first < events.length; first += PARSE_BATCH, batch++) {
      const end = Math.min(events.length, first + PARSE_BATCH);
      const parseFirst = (batch + round) % 2 === 0;
      if (parseFirst) parse += timeParseBatch(first, end);
      evaluate += timeWorkBatch(itemsOf(first, end), first, work);
      if (!parseFirst) parse += timeParseBatch(first, end);
    }
    return { parse: Number(parse) / 1e6, evaluate: Number(evaluate) / 1e6 };
  };

  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    timeRound(round, evaluateWork);
    timeRound(round, normaliseWork);
  }
  const parseTimes: number[] = [];
  const evaluateTimes: number[] = [];
  const ratios: number[] = [];
  const normaliseTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { parse, evaluate } = timeRound(round, evaluateWork);
    parseTimes.push(parse);
    evaluateTimes.push(evaluate);
    ratios.push(evaluate / parse);
    normaliseTimes.push(timeRound(round, normaliseWork).evaluate);
  }

  // Per-rule cost on already-normalised states (where the time goes).
  const states = events.map((event) =>
    normalizeConfigurationItem((JSON.parse(event.invokingEvent) as Item).configurationItem),
  );
  const perRule = RULES.map((rule, r) => {
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < states.length; i++) {
        const state = states[i];
        if (state.kind === 'bucket' && rule.target === 'bucket') {
          sink += evaluateBucket(rule, state, params[r], contexts[i % contexts.length]).annotation.length;
        } else if (state.kind === 'account' && rule.target === 'account') {
          sink += evaluateAccount(rule, state.accountId, state, params[r], contexts[0]).annotation.length;
        }
      }
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return `${rule.id} ${median(times).toFixed(1)} ms`;
  });

  const parseMs = median(parseTimes);
  const evaluateMs = median(evaluateTimes);
  const rate = (ms: number) => Math.round(events.length / (ms / 1000)).toLocaleString('en-US');
  const ratio = median(ratios);
  const sortedRatios = [...ratios].sort((a, b) => a - b);
  return [
    input.description,
    `${ROUNDS} rounds after ${WARM_UP_ROUNDS} warm-up rounds, parse and evaluate timed in pairs per batch of ${PARSE_BATCH} events (checksum ${sink % 1000})`,
    `parse     JSON.parse invokingEvent + nested JSON strings: ${parseMs.toFixed(1).padStart(8)} ms  ${rate(parseMs).padStart(9)} items/s`,
    `evaluate  normalise + all ${RULES.length} rules (pure):           ${evaluateMs.toFixed(1).padStart(8)} ms  ${rate(evaluateMs).padStart(9)} items/s`,
    `          of which normalise ${median(normaliseTimes).toFixed(1)} ms; rules alone: ${perRule.join('; ')}`,
    `per-round ratios: min ${sortedRatios[0].toFixed(2)}, median ${ratio.toFixed(2)}, max ${sortedRatios[sortedRatios.length - 1].toFixed(2)} (times above: medians)`,
    `evaluate/parse: ${ratio.toFixed(2)}x`,
  ];
}

/** `node bench/out/config-evaluation.js <events dir>`: the section of `npm run bench`, in a process of its own. */
if (require.main === module) {
  const root = process.argv[2];
  if (root === undefined) throw new Error('usage: config-evaluation.js <events directory>');
  const lines = runConfigEvaluationBench(buildConfigEvaluationEvents(loadFixtureItems(root), 10_000));
  process.stdout.write(`${lines.join('\n')}\n`);
}
