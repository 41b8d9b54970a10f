/**
 * The answers of the offline replay, one table per service, keyed by SDK command name, over one OfflineWorld.
 *
 * One error convention:
 * - what AWS itself would answer is the service's own error (NoSuchBucket for a deleted bucket,
 *   NoSuchBucketPolicy, NoSuchPublicAccessBlockConfiguration, ResourceNotDiscoveredException, ...), so the
 *   handlers take the same branch as in Lambda;
 * - what the recorded inputs cannot tell (an unknown setting, a bucket or account nothing describes, a command the
 *   replay does not answer) is a plain Error "offline replay: <reason>". describeAwsError shows a plain Error's
 *   message, so the reason reaches the annotation or email as a sentence ("GetBucketTagging failed: offline replay:
 *   no recorded item or event gives the tag set (exemptions)"), where a service error would show only its code.
 */
import {
  type Evaluation,
  type PutEvaluationsRequest,
  ResourceNotDiscoveredException,
} from '@aws-sdk/client-config-service';
import { type Grant, S3ServiceException } from '@aws-sdk/client-s3';
import { S3ControlServiceException } from '@aws-sdk/client-s3-control';
import { SSMServiceException } from '@aws-sdk/client-ssm';
import {
  type AccountBpaState,
  type AclGrant,
  BPA_FLAGS,
  type BucketState,
  type Fact,
  isDeletedStatus,
  known,
  type PublicAccessBlockFlags,
} from '../../model/types';
import { PASCAL_BPA_NAMES } from '../../remediation/actions/outcome';
import { isRecord, type JsonRecord } from '../../remediation/triggers/json';
import { latestItem, type OfflineWorld, type RecordedItem, resourceKey, toBaseItem } from './world';

export type Responder = (input: JsonRecord) => object;
export type Responders = Readonly<Record<string, Responder>>;

/** What the recorded inputs cannot tell; see the module comment. */
export function cannotAnswer(reason: string): Error {
  return new Error(`offline replay: ${reason}`);
}

function factOrThrow<T>(fact: Fact<T>): T {
  if (!fact.known) throw cannotAnswer(fact.reason);
  return fact.value;
}

function s3Error(code: string, status: number, message: string): S3ServiceException {
  return new S3ServiceException({ name: code, $fault: 'client', $metadata: { httpStatusCode: status }, message });
}

function s3controlError(code: string, status: number, message: string): S3ControlServiceException {
  return new S3ControlServiceException({
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

function requiredString(input: JsonRecord, key: string, error: (message: string) => Error): string {
  const value = input[key];
  if (typeof value !== 'string' || value === '') throw error(`${key} is required`);
  return value;
}

const NO_BPA_MESSAGE = 'The public access block configuration was not found';

function bpaOutput(flags: PublicAccessBlockFlags | null, notFound: () => Error): object {
  if (flags === null) throw notFound();
  return {
    PublicAccessBlockConfiguration: Object.fromEntries(BPA_FLAGS.map((flag) => [PASCAL_BPA_NAMES[flag], flags[flag]])),
  };
}

/** A PutPublicAccessBlock request's flags; a flag the request leaves out is off, as in S3. */
function bpaInput(input: JsonRecord): PublicAccessBlockFlags {
  const configuration = isRecord(input.PublicAccessBlockConfiguration) ? input.PublicAccessBlockConfiguration : {};
  const flags = {} as Record<(typeof BPA_FLAGS)[number], boolean>;
  for (const flag of BPA_FLAGS) flags[flag] = configuration[PASCAL_BPA_NAMES[flag]] === true;
  return flags;
}

const GROUP_URIS: Readonly<Record<string, string>> = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};

function grantOutput(grant: AclGrant): Grant {
  const grantee = grant.grantee;
  const permission = grant.permission;
  switch (grantee.kind) {
    case 'group':
      return { Grantee: { Type: 'Group', URI: GROUP_URIS[grantee.group] }, Permission: permission };
    case 'canonicalUser':
      return {
        Grantee: {
          Type: 'CanonicalUser',
          ID: grantee.id,
          ...(grantee.displayName ? { DisplayName: grantee.displayName } : {}),
        },
        Permission: permission,
      };
    case 'email':
      return { Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: grantee.email }, Permission: permission };
    case 'unrecognised':
      // Read back as unrecognised again, its text intact: a raw text naming a public group stays public.
      return { Grantee: { Type: 'Group', URI: grantee.raw }, Permission: permission };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// S3

export function s3Responders(world: OfflineWorld): Responders {
  const bucketOf = (input: JsonRecord): BucketState => {
    const name = requiredString(input, 'Bucket', (message) => s3Error('InvalidRequest', 400, message));
    const bucket = world.buckets.get(name);
    if (!bucket) throw cannotAnswer(`no recorded item or event describes bucket ${name}`);
    if (isDeletedStatus(bucket.status)) throw s3Error('NoSuchBucket', 404, 'The specified bucket does not exist');
    return bucket;
  };
  const update = (bucket: BucketState, change: Partial<BucketState>): object => {
    world.buckets.set(bucket.name, { ...bucket, ...change });
    return {};
  };
  return {
    GetPublicAccessBlockCommand: (input) =>
      bpaOutput(factOrThrow(bucketOf(input).publicAccessBlock), () =>
        s3Error('NoSuchPublicAccessBlockConfiguration', 404, NO_BPA_MESSAGE),
      ),
    PutPublicAccessBlockCommand: (input) => update(bucketOf(input), { publicAccessBlock: known(bpaInput(input)) }),
    GetBucketTaggingCommand: (input) => {
      const entries = Object.entries(factOrThrow(bucketOf(input).tags));
      if (entries.length === 0) throw s3Error('NoSuchTagSet', 404, 'The TagSet does not exist');
      return { TagSet: entries.map(([Key, Value]) => ({ Key, Value })) };
    },
    GetBucketVersioningCommand: (input) => {
      const versioning = factOrThrow(bucketOf(input).versioning);
      return {
        ...(versioning.status !== 'Off' ? { Status: versioning.status } : {}),
        ...(versioning.mfaDelete !== null ? { MFADelete: versioning.mfaDelete ? 'Enabled' : 'Disabled' } : {}),
      };
    },
    PutBucketVersioningCommand: (input) => {
      const bucket = bucketOf(input);
      const configuration = isRecord(input.VersioningConfiguration) ? input.VersioningConfiguration : {};
      const status = configuration.Status === 'Enabled' ? 'Enabled' : 'Suspended';
      // MFA delete only changes with the root user's MFA in the request; bucketguard never sends it.
      const mfaDelete = bucket.versioning.known ? bucket.versioning.value.mfaDelete : null;
      return update(bucket, { versioning: known({ status, mfaDelete }) });
    },
    GetBucketPolicyCommand: (input) => {
      const policy = factOrThrow(bucketOf(input).policy);
      if (policy === null) throw s3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
      return { Policy: JSON.stringify(policy) };
    },
    GetBucketAclCommand: (input) => {
      const acl = factOrThrow(bucketOf(input).acl);
      return { ...(acl.ownerId ? { Owner: { ID: acl.ownerId } } : {}), Grants: acl.grants.map(grantOutput) };
    },
    GetBucketOwnershipControlsCommand: (input) => {
      const ownership = factOrThrow(bucketOf(input).ownership);
      if (ownership === null) {
        throw s3Error('OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found');
      }
      return { OwnershipControls: { Rules: [{ ObjectOwnership: ownership }] } };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// S3 Control (account-level Block Public Access)

export function s3ControlResponders(world: OfflineWorld): Responders {
  const accountOf = (input: JsonRecord): AccountBpaState => {
    const accountId = requiredString(input, 'AccountId', (message) => s3controlError('InvalidRequest', 400, message));
    const account = world.accounts.get(accountId);
    if (!account) throw cannotAnswer(`no recorded item or event describes account ${accountId}`);
    return account;
  };
  const notConfigured = () => s3controlError('NoSuchPublicAccessBlockConfiguration', 404, NO_BPA_MESSAGE);
  return {
    GetPublicAccessBlockCommand: (input) => {
      const account = accountOf(input);
      // A deleted account-level configuration is no configuration.
      if (isDeletedStatus(account.status)) throw notConfigured();
      return bpaOutput(factOrThrow(account.publicAccessBlock), notConfigured);
    },
    PutPublicAccessBlockCommand: (input) => {
      const account = accountOf(input);
      world.accounts.set(account.accountId, { ...account, status: 'OK', publicAccessBlock: known(bpaInput(input)) });
      return {};
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// AWS Config (what the rule adapter reads, and PutEvaluations captured)

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const positiveNumber = (value: unknown, fallback: number): number =>
  typeof value === 'number' && value > 0 ? value : fallback;

export function configResponders(world: OfflineWorld): Responders {
  const notDeleted = (item: RecordedItem | undefined): item is RecordedItem =>
    item !== undefined && !isDeletedStatus(item.api.configurationItemStatus);
  return {
    PutEvaluationsCommand: (input) => {
      // The table is keyed by command: this input is a PutEvaluationsCommand's.
      const request = input as unknown as PutEvaluationsRequest;
      const evaluations: readonly Evaluation[] = request.Evaluations ?? [];
      world.evaluations.push({ request, evaluations });
      return { FailedEvaluations: [] };
    },
    GetResourceConfigHistoryCommand: (input) => {
      const type = str(input.resourceType);
      const id = str(input.resourceId);
      const history = world.history.get(resourceKey(type, id));
      if (!history || history.length === 0) {
        throw new ResourceNotDiscoveredException({
          message: `Resource ${id} of resourceType:${type} is unknown or has not been discovered`,
          $metadata: { httpStatusCode: 400 },
        });
      }
      const later = input.laterTime instanceof Date ? input.laterTime.getTime() : Number.POSITIVE_INFINITY;
      const items = history
        .filter((item) => item.captureMs <= later)
        .reverse()
        .slice(0, positiveNumber(input.limit, 10))
        .map((item) => item.api);
      return { configurationItems: items };
    },
    BatchGetResourceConfigCommand: (input) => {
      const keys = Array.isArray(input.resourceKeys) ? input.resourceKeys.filter(isRecord) : [];
      const items = keys
        .map((key) => latestItem(world, str(key.resourceType) ?? '', str(key.resourceId) ?? ''))
        .filter(notDeleted)
        .map((item) => toBaseItem(item.api));
      return { baseConfigurationItems: items, unprocessedResourceKeys: [] };
    },
    ListDiscoveredResourcesCommand: (input) => {
      const type = str(input.resourceType);
      const ids = [...world.history.values()]
        .map((history) => history.at(-1))
        .filter(notDeleted)
        .map((item) => item.api)
        .filter((api) => api.resourceType === type)
        .map((api) => ({ resourceType: api.resourceType, resourceId: api.resourceId, resourceName: api.resourceName }))
        .sort((a, b) => String(a.resourceId).localeCompare(String(b.resourceId)));
      const start = Number(str(input.nextToken) ?? 0) || 0;
      const end = start + positiveNumber(input.limit, 100);
      return { resourceIdentifiers: ids.slice(start, end), ...(end < ids.length ? { nextToken: String(end) } : {}) };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// SNS (captured, never sent)

/** What an email subscriber gets: the `email` member of a per-protocol message (MessageStructure json). */
function emailText(input: Record<string, unknown>): string {
  const message = typeof input.Message === 'string' ? input.Message : '';
  if (input.MessageStructure !== 'json') return message;
  try {
    const members: unknown = JSON.parse(message);
    if (members && typeof members === 'object' && !Array.isArray(members)) {
      const { email, default: fallback } = members as Record<string, unknown>;
      if (typeof email === 'string') return email;
      if (typeof fallback === 'string') return fallback;
    }
  } catch {
    // Not JSON: SNS would refuse it (InvalidParameter); keep the text as sent.
  }
  return message;
}

export function snsResponders(world: OfflineWorld): Responders {
  return {
    PublishCommand: (input) => {
      world.published.push({
        ...(typeof input.TopicArn === 'string' ? { topicArn: input.TopicArn } : {}),
        ...(typeof input.Subject === 'string' ? { subject: input.Subject } : {}),
        message: emailText(input),
      });
      return { MessageId: `offline-${world.published.length}` };
    },
  };
}

/** SSM GetParameter from the world's parameters; any other name is ParameterNotFound, as SSM answers it. */
export function ssmResponders(world: OfflineWorld): Responders {
  return {
    GetParameterCommand: (input) => {
      const name = typeof input.Name === 'string' ? input.Name : '';
      const value = world.parameters.get(name);
      if (value === undefined) {
        throw new SSMServiceException({
          name: 'ParameterNotFound',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: `Parameter ${name} not found.`,
        });
      }
      return { Parameter: { Name: name, Type: 'String', Value: value, Version: 1 } };
    },
  };
}
