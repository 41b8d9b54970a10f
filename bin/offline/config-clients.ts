/**
 * Real AWS SDK v3 clients whose calls are answered in-process from recorded configuration items, for
 * `bucketguard replay`. Each client gets an `initialize`-step middleware that returns `{ output }` (or throws the
 * service's error) by `context.commandName`, so nothing is serialised, signed or sent.
 *
 * Why real clients and not a mock library at run time: the handlers run exactly as in Lambda (the same client
 * types, `send()`, command inputs and error classes), mocking libraries are dev dependencies that the installed CLI
 * does not ship, and a missing answer fails loudly as an error the handler must cope with, like a denied call would.
 */
import {
  type BaseConfigurationItem,
  ConfigServiceClient,
  ConfigServiceServiceException,
  type ConfigurationItem,
  type Evaluation,
  type PutEvaluationsRequest,
  ResourceNotDiscoveredException,
} from '@aws-sdk/client-config-service';
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { S3ControlClient, S3ControlServiceException } from '@aws-sdk/client-s3-control';
import { type NormalizedItem, normalizeConfigurationItem, toIsoTimestamp } from '../../model/normalize';
import {
  type AccountBpaState,
  type BucketState,
  type Fact,
  isDeletedStatus,
  type PublicAccessBlockFlags,
} from '../../model/types';
import type { RuleClients } from '../../rules/config-protocol/clients';

// The clients below never reach AWS, so the SDK's "upgrade Node" notice would only be noise in the report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** One recorded configuration item: as loaded, normalised, and in the API model the Config API returns. */
export interface WorldItem {
  readonly raw: unknown;
  readonly state: NormalizedItem;
  readonly api: ConfigurationItem;
  readonly captureMs: number;
}

export interface OfflineCall {
  readonly client: string;
  readonly command: string;
  readonly input: unknown;
}

export interface OfflineClients {
  readonly clients: RuleClients;
  /** Every call made, in order (diagnostics and tests). */
  readonly calls: OfflineCall[];
  /** PutEvaluations inputs received since the last `takeEvaluations()`. */
  takeEvaluations(): Array<{ readonly request: PutEvaluationsRequest; readonly evaluations: readonly Evaluation[] }>;
  /** The latest recorded state per bucket / per account (what the S3 and S3 Control answers come from). */
  readonly buckets: ReadonlyMap<string, BucketState>;
  readonly accounts: ReadonlyMap<string, AccountBpaState>;
}

const OFFLINE_REGION = 'us-east-1';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asDate(value: unknown): Date | undefined {
  const iso = toIsoTimestamp(value);
  return iso ? new Date(iso) : undefined;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Advanced-query rows list tags as [{key, value}]; the API model has a map. */
function tagMap(value: unknown): Record<string, string> | undefined {
  if (Array.isArray(value)) {
    const map: Record<string, string> = {};
    for (const tag of value) {
      if (isRecord(tag) && typeof tag.key === 'string') map[tag.key] = str(tag.value) ?? '';
    }
    return map;
  }
  if (!isRecord(value)) return undefined;
  const map: Record<string, string> = {};
  for (const [key, tagValue] of Object.entries(value)) map[key] = str(tagValue) ?? '';
  return map;
}

/**
 * Any recorded model -> the API model GetResourceConfigHistory returns: `configuration` and every supplementary
 * value a JSON string (so the invocation model's already-string AccessControlList ends up double-encoded, as in
 * AWS), field names accountId/arn/version/configurationItemMD5Hash, timestamps as Date objects like the SDK's.
 */
export function toApiModel(raw: unknown): ConfigurationItem {
  const item = isRecord(raw) ? raw : {};
  const supplementary = isRecord(item.supplementaryConfiguration) ? item.supplementaryConfiguration : {};
  const alreadyApi =
    typeof item.configuration === 'string' ||
    (!('awsAccountId' in item) && Object.values(supplementary).every((value) => typeof value === 'string'));
  const encode = (value: unknown): string => (alreadyApi && typeof value === 'string' ? value : JSON.stringify(value));
  const relationships = Array.isArray(item.relationships)
    ? item.relationships.filter(isRecord).map((r) => ({
        resourceType: str(r.resourceType) as ConfigurationItem['resourceType'],
        resourceId: str(r.resourceId),
        resourceName: str(r.resourceName),
        relationshipName: str(r.relationshipName) ?? str(r.name),
      }))
    : [];
  const api: ConfigurationItem = {
    version: str(item.version) ?? str(item.configurationItemVersion),
    accountId: str(item.accountId) ?? str(item.awsAccountId),
    configurationItemCaptureTime: asDate(item.configurationItemCaptureTime),
    configurationItemStatus: str(item.configurationItemStatus) as ConfigurationItem['configurationItemStatus'],
    configurationStateId: str(item.configurationStateId),
    configurationItemMD5Hash: str(item.configurationItemMD5Hash) ?? str(item.configurationStateMd5Hash) ?? '',
    arn: str(item.arn) ?? str(item.ARN),
    resourceType: str(item.resourceType) as ConfigurationItem['resourceType'],
    resourceId: str(item.resourceId),
    resourceName: str(item.resourceName),
    awsRegion: str(item.awsRegion),
    availabilityZone: str(item.availabilityZone),
    resourceCreationTime: asDate(item.resourceCreationTime),
    tags: tagMap(item.tags) ?? {},
    relatedEvents: Array.isArray(item.relatedEvents) ? item.relatedEvents.filter((e) => typeof e === 'string') : [],
    relationships,
    ...(item.configuration === null || item.configuration === undefined
      ? {}
      : {
          configuration:
            typeof item.configuration === 'string' ? item.configuration : JSON.stringify(item.configuration),
        }),
    supplementaryConfiguration: Object.fromEntries(
      Object.entries(supplementary).map(([key, value]) => [key, encode(value)]),
    ),
  };
  return api;
}

/** BatchGetResourceConfig returns BaseConfigurationItem: no tags, relationships, related events or MD5 hash. */
function toBaseItem(api: ConfigurationItem): BaseConfigurationItem {
  const { tags: _tags, relationships: _rel, relatedEvents: _events, configurationItemMD5Hash: _md5, ...base } = api;
  return base;
}

/** Normalises and indexes recorded items; items that cannot be normalised are skipped (the loader reported them). */
export function buildWorld(rawItems: readonly unknown[]): WorldItem[] {
  const world: WorldItem[] = [];
  for (const raw of rawItems) {
    let state: NormalizedItem;
    try {
      state = normalizeConfigurationItem(raw);
    } catch {
      continue;
    }
    const api = toApiModel(raw);
    world.push({ raw, state, api, captureMs: api.configurationItemCaptureTime?.getTime() ?? 0 });
  }
  return world;
}

const keyOf = (type: string | undefined, id: string | undefined): string => `${type}\u0000${id}`;

function s3Error(name: string, status: number, message: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
}

function s3controlError(name: string, status: number, message: string): S3ControlServiceException {
  return new S3ControlServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
}

/** What a recorded Fact cannot tell: answered like a denied read, so the handler reports it unknown. */
const NOT_RECORDED = 'NotInRecordedInputs';

function factOrThrow<T>(fact: Fact<T>, what: string): T {
  if (!fact.known)
    throw s3Error(NOT_RECORDED, 403, `replay: ${what} is not known from the recorded inputs (${fact.reason})`);
  return fact.value;
}

function pascalFlags(flags: PublicAccessBlockFlags) {
  return {
    BlockPublicAcls: flags.blockPublicAcls,
    IgnorePublicAcls: flags.ignorePublicAcls,
    BlockPublicPolicy: flags.blockPublicPolicy,
    RestrictPublicBuckets: flags.restrictPublicBuckets,
  };
}

const GROUP_URIS: Record<string, string> = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};

/** Builds the offline clients over `world` (later items of the same resource win by capture time). */
export function createOfflineClients(world: readonly WorldItem[]): OfflineClients {
  const history = new Map<string, WorldItem[]>();
  for (const item of world) {
    const key = keyOf(item.api.resourceType, item.api.resourceId);
    const list = history.get(key) ?? [];
    list.push(item);
    history.set(key, list);
  }
  for (const list of history.values()) list.sort((a, b) => a.captureMs - b.captureMs);
  const latest = (type: string, id: string): WorldItem | undefined => history.get(keyOf(type, id))?.at(-1);

  const buckets = new Map<string, BucketState>();
  const accounts = new Map<string, AccountBpaState>();
  for (const list of history.values()) {
    const last = list.at(-1)?.state;
    if (last?.kind === 'bucket') buckets.set(last.name, last);
    if (last?.kind === 'account') accounts.set(last.accountId, last);
  }

  const calls: OfflineCall[] = [];
  let evaluations: Array<{ request: PutEvaluationsRequest; evaluations: readonly Evaluation[] }> = [];

  const configAnswer = (command: string, input: Record<string, unknown>): object => {
    switch (command) {
      case 'PutEvaluationsCommand': {
        const request = input as unknown as PutEvaluationsRequest;
        evaluations.push({ request, evaluations: request.Evaluations ?? [] });
        return { FailedEvaluations: [] };
      }
      case 'GetResourceConfigHistoryCommand': {
        const list = history.get(keyOf(str(input.resourceType), str(input.resourceId)));
        if (!list || list.length === 0) {
          throw new ResourceNotDiscoveredException({
            message: `Resource ${str(input.resourceId)} of resourceType:${str(input.resourceType)} is unknown or has not been discovered`,
            $metadata: { httpStatusCode: 400 },
          });
        }
        const later = input.laterTime instanceof Date ? input.laterTime.getTime() : Number.POSITIVE_INFINITY;
        const limit = typeof input.limit === 'number' && input.limit > 0 ? input.limit : 10;
        const items = list
          .filter((item) => item.captureMs <= later)
          .reverse()
          .slice(0, limit)
          .map((item) => item.api);
        return { configurationItems: items };
      }
      case 'BatchGetResourceConfigCommand': {
        const keys = Array.isArray(input.resourceKeys) ? input.resourceKeys.filter(isRecord) : [];
        const items = keys
          .map((k) => latest(str(k.resourceType) ?? '', str(k.resourceId) ?? ''))
          .filter((item): item is WorldItem => item !== undefined && !isDeletedStatus(item.api.configurationItemStatus))
          .map((item) => toBaseItem(item.api));
        return { baseConfigurationItems: items, unprocessedResourceKeys: [] };
      }
      case 'ListDiscoveredResourcesCommand': {
        const type = str(input.resourceType);
        const ids = [...history.values()]
          .map((list) => list.at(-1)?.api)
          .filter(
            (api): api is ConfigurationItem =>
              api !== undefined && api.resourceType === type && !isDeletedStatus(api.configurationItemStatus),
          )
          .map((api) => ({
            resourceType: api.resourceType,
            resourceId: api.resourceId,
            resourceName: api.resourceName,
          }))
          .sort((a, b) => String(a.resourceId).localeCompare(String(b.resourceId)));
        const start = Number(str(input.nextToken) ?? 0) || 0;
        const limit = typeof input.limit === 'number' && input.limit > 0 ? input.limit : 100;
        const page = ids.slice(start, start + limit);
        return {
          resourceIdentifiers: page,
          ...(start + limit < ids.length ? { nextToken: String(start + limit) } : {}),
        };
      }
      default:
        throw new ConfigServiceServiceException({
          name: 'OfflineUnsupportedOperation',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: `bucketguard replay does not answer ${command} offline`,
        });
    }
  };

  const s3controlAnswer = (command: string, input: Record<string, unknown>): object => {
    if (command !== 'GetPublicAccessBlockCommand') {
      throw s3controlError('OfflineUnsupportedOperation', 400, `bucketguard replay does not answer ${command} offline`);
    }
    const account = accounts.get(str(input.AccountId) ?? '');
    const notConfigured = () =>
      s3controlError(
        'NoSuchPublicAccessBlockConfiguration',
        404,
        'The public access block configuration was not found',
      );
    if (!account || isDeletedStatus(account.status)) throw notConfigured();
    if (!account.publicAccessBlock.known) {
      throw s3controlError(NOT_RECORDED, 403, `replay: ${account.publicAccessBlock.reason}`);
    }
    if (account.publicAccessBlock.value === null) throw notConfigured();
    return { PublicAccessBlockConfiguration: pascalFlags(account.publicAccessBlock.value) };
  };

  const s3Answer = (command: string, input: Record<string, unknown>): object => {
    const name = str(input.Bucket) ?? '';
    const bucket = buckets.get(name);
    if (!bucket || isDeletedStatus(bucket.status)) {
      throw s3Error('NoSuchBucket', 404, `replay: no recorded configuration item for bucket ${name}`);
    }
    switch (command) {
      case 'GetBucketOwnershipControlsCommand': {
        const ownership = factOrThrow(bucket.ownership, 'Object Ownership');
        if (ownership === null)
          throw s3Error('OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found');
        return { OwnershipControls: { Rules: [{ ObjectOwnership: ownership }] } };
      }
      case 'GetPublicAccessBlockCommand': {
        const flags = factOrThrow(bucket.publicAccessBlock, 'bucket-level Block Public Access');
        if (flags === null)
          throw s3Error(
            'NoSuchPublicAccessBlockConfiguration',
            404,
            'The public access block configuration was not found',
          );
        return { PublicAccessBlockConfiguration: pascalFlags(flags) };
      }
      case 'GetBucketPolicyCommand': {
        const policy = factOrThrow(bucket.policy, 'the bucket policy');
        if (policy === null) throw s3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
        return { Policy: JSON.stringify(policy) };
      }
      case 'GetBucketVersioningCommand': {
        const versioning = factOrThrow(bucket.versioning, 'versioning');
        return {
          ...(versioning.status === 'Off' ? {} : { Status: versioning.status }),
          ...(versioning.mfaDelete === null ? {} : { MFADelete: versioning.mfaDelete ? 'Enabled' : 'Disabled' }),
        };
      }
      case 'GetBucketTaggingCommand': {
        const tags = factOrThrow(bucket.tags, 'tags');
        const entries = Object.entries(tags);
        if (entries.length === 0) throw s3Error('NoSuchTagSet', 404, 'The TagSet does not exist');
        return { TagSet: entries.map(([Key, Value]) => ({ Key, Value })) };
      }
      case 'GetBucketAclCommand': {
        const acl = factOrThrow(bucket.acl, 'the ACL');
        return {
          Owner: acl.ownerId ? { ID: acl.ownerId } : undefined,
          Grants: acl.grants.map((grant) => {
            const g = grant.grantee;
            const grantee =
              g.kind === 'group'
                ? { Type: 'Group', URI: GROUP_URIS[g.group] }
                : g.kind === 'canonicalUser'
                  ? { Type: 'CanonicalUser', ID: g.id, ...(g.displayName ? { DisplayName: g.displayName } : {}) }
                  : g.kind === 'email'
                    ? { Type: 'AmazonCustomerByEmail', EmailAddress: g.email }
                    : { Type: 'CanonicalUser', ID: g.raw };
            return { Grantee: grantee, Permission: grant.permission };
          }),
        };
      }
      default:
        throw s3Error('OfflineUnsupportedOperation', 400, `bucketguard replay does not answer ${command} offline`);
    }
  };

  /** The initialize-step middleware: answers by command name, before serialisation, signing and sending. */
  const answering =
    (clientName: string, answer: (command: string, input: Record<string, unknown>) => object) =>
    (_next: unknown, context: { readonly commandName?: string }) =>
    async (args: { readonly input: unknown }) => {
      const command = context.commandName ?? 'UnknownCommand';
      const input = isRecord(args.input) ? args.input : {};
      calls.push({ client: clientName, command, input });
      const output = answer(command, input);
      return { output: { $metadata: { httpStatusCode: 200 }, ...output } as never, response: {} };
    };
  const step = { step: 'initialize', name: 'bucketguardOfflineAnswers', priority: 'high' } as const;

  // No credentials are resolved: the middleware answers before signing. Region is fixed only to build the clients.
  const noCredentials = async () => {
    throw new Error('bucketguard replay clients never sign requests');
  };
  const config = new ConfigServiceClient({ region: OFFLINE_REGION, credentials: noCredentials });
  config.middlewareStack.add(answering('config', configAnswer), step);
  const s3 = new S3Client({ region: OFFLINE_REGION, credentials: noCredentials });
  s3.middlewareStack.add(answering('s3', s3Answer), step);
  const s3control = new S3ControlClient({ region: OFFLINE_REGION, credentials: noCredentials });
  s3control.middlewareStack.add(answering('s3control', s3controlAnswer), step);
  const clients: RuleClients = { config, s3, s3control };

  return {
    clients,
    calls,
    takeEvaluations() {
      const taken = evaluations;
      evaluations = [];
      return taken;
    },
    buckets,
    accounts,
  };
}
