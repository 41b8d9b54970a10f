/**
 * `bucketguard scan --aggregator` with Config mocked at the client boundary: the aggregator's identifiers listed page
 * by page, their items read 100 per BatchGetAggregateResourceConfig call, and evaluated by the same rules, account by
 * account, with account-level BPA from the aggregator's own AWS::S3::AccountPublicAccessBlock items. Items are the
 * recorded shapes of events/ with the account id changed.
 */
import {
  BatchGetAggregateResourceConfigCommand,
  ConfigServiceClient,
  ListAggregateDiscoveredResourcesCommand,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createScanCommand } from '../../bin/commands/scan';
import type { ResultRow } from '../../bin/report';
import accountBpaItem from '../../events/config-items/account-bpa-api-partial.json';
import bucketItems from '../../events/invocations/api/batch-get-resource-config-buckets.json';
import { capture, NOW } from './scan-support';

const configMock = mockClient(ConfigServiceClient);
const A = '111122223333';
const B = '123456789012';
const [PUBLIC_SITE, PRIVATE_LOGS] = bucketItems.baseConfigurationItems;
const RULES = ['s3-bucket-public-access-prohibited', 's3-account-level-public-access-blocked'];
const ALL_ON = '{"blockPublicAcls":true,"ignorePublicAcls":true,"blockPublicPolicy":true,"restrictPublicBuckets":true}';

type Item = Record<string, unknown>;
const bucketIn = (template: Item, accountId: string, name: string, region = 'us-east-1'): Item => ({
  ...template,
  accountId,
  awsRegion: region,
  resourceId: name,
  resourceName: name,
  arn: `arn:aws:s3:::${name}`,
  configuration: String(template.configuration).replaceAll(String(template.resourceId), name),
});

/** Answers like an aggregator holding `items`: identifiers 100 per page, items by identifier. */
function aggregatorHolding(items: Item[], unprocessedOnce: string[] = []): void {
  for (const type of ['AWS::S3::Bucket', 'AWS::S3::AccountPublicAccessBlock']) {
    const ids = items
      .filter((item) => item.resourceType === type)
      .map((item) => ({
        SourceAccountId: String(item.accountId),
        SourceRegion: String(item.awsRegion),
        ResourceId: String(item.resourceId),
        ResourceType: type as 'AWS::S3::Bucket',
        ...(item.resourceName ? { ResourceName: String(item.resourceName) } : {}),
      }));
    for (let page = 0; page * 100 < Math.max(ids.length, 1); page++) {
      configMock
        .on(ListAggregateDiscoveredResourcesCommand, {
          ResourceType: type as 'AWS::S3::Bucket',
          ...(page > 0 ? { NextToken: `p${page}` } : {}),
        })
        .resolves({
          ResourceIdentifiers: ids.slice(page * 100, page * 100 + 100),
          ...((page + 1) * 100 < ids.length ? { NextToken: `p${page + 1}` } : {}),
        });
    }
  }
  const pending = new Set(unprocessedOnce);
  configMock
    .on(BatchGetAggregateResourceConfigCommand)
    .callsFake((input: { ResourceIdentifiers: { SourceAccountId: string; ResourceId: string }[] }) => {
      if (input.ResourceIdentifiers.length > 100) throw new Error('more than 100 identifiers');
      const left = input.ResourceIdentifiers.filter((id) => pending.delete(id.ResourceId));
      const given = input.ResourceIdentifiers.filter((id) => !left.includes(id));
      return {
        BaseConfigurationItems: given.map((id) =>
          items.find((item) => item.accountId === id.SourceAccountId && item.resourceId === id.ResourceId),
        ),
        UnprocessedResourceIdentifiers: left,
      };
    });
}

async function run(args: string[]) {
  const captured = capture();
  const code = await createScanCommand({ now: () => NOW })(
    ['--aggregator', 'org-aggregator', '--rules', RULES.join(','), '--json', ...args],
    captured.io,
  );
  return { code, document: JSON.parse(captured.out.join('\n')) as { results: ResultRow[]; notes: string[] } };
}

beforeEach(() => configMock.reset());

describe('bucketguard scan --aggregator', () => {
  test('150 buckets of two accounts: 2 + 1 list pages, 2 batch calls; account BPA from the aggregator', async () => {
    const logs = Array.from({ length: 149 }, (_, i) =>
      bucketIn(PRIVATE_LOGS, A, `amzn-s3-demo-logs-${String(i).padStart(3, '0')}`),
    );
    aggregatorHolding(
      [
        ...logs,
        bucketIn(PUBLIC_SITE, A, 'amzn-s3-demo-site-a'),
        bucketIn(PUBLIC_SITE, B, 'amzn-s3-demo-site-b', 'eu-west-1'),
        { ...accountBpaItem, accountId: A, resourceId: A, configuration: ALL_ON },
      ],
      ['amzn-s3-demo-logs-007'],
    );
    const { code, document } = await run(['--fail-on-findings']);
    expect(code).toBe(3);
    expect(configMock).toHaveReceivedCommandTimes(ListAggregateDiscoveredResourcesCommand, 3);
    // 152 identifiers in 2 calls, and one more for the identifier left unprocessed once.
    expect(configMock).toHaveReceivedCommandTimes(BatchGetAggregateResourceConfigCommand, 3);
    const byKey = new Map(document.results.map((row) => [`${row.accountId}/${row.resourceId}/${row.rule}`, row]));
    expect(byKey.get(`${A}/${A}/s3-account-level-public-access-blocked`)?.compliance).toBe('COMPLIANT');
    // Account A blocks public policies at account level: its public-policy bucket is not public.
    expect(byKey.get(`${A}/amzn-s3-demo-site-a/s3-bucket-public-access-prohibited`)?.compliance).toBe('COMPLIANT');
    expect(byKey.get(`${A}/amzn-s3-demo-logs-007/s3-bucket-public-access-prohibited`)?.compliance).toBe('COMPLIANT');
    expect(byKey.get(`${B}/${B}/s3-account-level-public-access-blocked`)?.compliance).toBe('INSUFFICIENT_DATA');
    expect(byKey.get(`${B}/${B}/s3-account-level-public-access-blocked`)?.annotation).toContain(
      `no AWS::S3::AccountPublicAccessBlock item for account ${B} in aggregator org-aggregator`,
    );
    expect(document.results.filter((row) => row.accountId === A)).toHaveLength(1 + 150);
    expect(new Set(document.results.map((row) => row.source))).toEqual(new Set(['aggregator:org-aggregator']));
    expect(document.notes).toEqual([`account-level Block Public Access not recorded by the aggregator for: ${B}`]);
  });

  test('--accounts, --regions and --prefix filter before any item is read', async () => {
    aggregatorHolding([
      bucketIn(PRIVATE_LOGS, A, 'amzn-s3-demo-a'),
      bucketIn(PUBLIC_SITE, B, 'amzn-s3-demo-b-eu', 'eu-west-1'),
      bucketIn(PUBLIC_SITE, B, 'amzn-s3-demo-b-us'),
      bucketIn(PUBLIC_SITE, B, 'other-b-eu', 'eu-west-1'),
    ]);
    const { document } = await run(['--accounts', B, '--regions', 'eu-west-1', '--prefix', 'amzn-s3-demo-']);
    expect(
      configMock
        .commandCalls(BatchGetAggregateResourceConfigCommand)
        .map((call) => call.args[0].input.ResourceIdentifiers?.map((id) => id.ResourceId)),
    ).toEqual([['amzn-s3-demo-b-eu']]);
    expect(document.results.map((row) => [row.accountId, row.resourceId, row.rule, row.compliance])).toEqual([
      [B, B, 's3-account-level-public-access-blocked', 'INSUFFICIENT_DATA'],
      [B, 'amzn-s3-demo-b-eu', 's3-bucket-public-access-prohibited', 'NON_COMPLIANT'],
    ]);
  });

  test('an identifier still unprocessed after the retries, or listed but not returned, is an INSUFFICIENT_DATA row', async () => {
    aggregatorHolding(
      [bucketIn(PRIVATE_LOGS, A, 'amzn-s3-demo-a')],
      ['amzn-s3-demo-a', 'amzn-s3-demo-a', 'amzn-s3-demo-a'],
    );
    configMock.on(BatchGetAggregateResourceConfigCommand).resolves({
      BaseConfigurationItems: [],
      UnprocessedResourceIdentifiers: [
        {
          SourceAccountId: A,
          SourceRegion: 'us-east-1',
          ResourceId: 'amzn-s3-demo-a',
          ResourceType: 'AWS::S3::Bucket',
        },
      ],
    });
    const { document } = await run(['--rules', 's3-bucket-public-access-prohibited']);
    expect(configMock).toHaveReceivedCommandTimes(BatchGetAggregateResourceConfigCommand, 3);
    expect(document.results).toEqual([
      {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'amzn-s3-demo-a',
        accountId: A,
        rule: 'aggregator-scan',
        compliance: 'INSUFFICIENT_DATA',
        annotation: 'Could not evaluate: BatchGetAggregateResourceConfig left it unprocessed',
        source: 'aggregator:org-aggregator',
      },
    ]);
  });

  test('an aggregator that cannot be read stops the scan with what to check', async () => {
    configMock.on(ListAggregateDiscoveredResourcesCommand).rejects(
      Object.assign(new Error('The configuration aggregator does not exist'), {
        name: 'NoSuchConfigurationAggregatorException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(run([])).rejects.toThrow(
      'ListAggregateDiscoveredResources (org-aggregator, AWS::S3::Bucket) failed: NoSuchConfigurationAggregatorException (400)',
    );
  });
});
