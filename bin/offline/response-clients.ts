/**
 * Real SDK v3 clients whose calls are answered in-process: an `initialize`-step middleware returns `{ output }` by
 * command name from an in-memory world of BucketState / AccountBpaState, before anything is serialised, signed or
 * sent. The replay runs the real handlers on these; writes update the world, so read-back verification is real.
 */

import type { Grant } from '@aws-sdk/client-s3';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SNSClient } from '@aws-sdk/client-sns';
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';
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

export interface OfflineWorld {
  readonly buckets: Map<string, BucketState>;
  readonly accounts: Map<string, AccountBpaState>;
  /** Every SNS Publish, in order. */
  readonly published: { readonly topicArn?: string; readonly subject?: string; readonly message: string }[];
}

export function createOfflineWorld(
  buckets: readonly BucketState[] = [],
  accounts: readonly AccountBpaState[] = [],
): OfflineWorld {
  return {
    buckets: new Map(buckets.map((bucket) => [bucket.name, bucket])),
    accounts: new Map(accounts.map((account) => [account.accountId, account])),
    published: [],
  };
}

/** An S3-style service error: `name` is the error code, as the SDK's deserialised exceptions have it. */
function serviceError(code: string, status: number, message: string): Error {
  return Object.assign(new Error(message), {
    name: code,
    Code: code,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** Not a service error: describeAwsError shows the message, so the unknown reason reads as a sentence. */
function notRecorded(reason: string): Error {
  return new Error(`offline replay: ${reason}`);
}

type Responder = (input: JsonRecord) => object;

function stringInput(input: JsonRecord, key: string): string {
  const value = input[key];
  if (typeof value !== 'string' || value === '') throw serviceError('InvalidRequest', 400, `${key} is required`);
  return value;
}

function factOr<T>(fact: Fact<T>): T {
  if (!fact.known) throw notRecorded(fact.reason);
  return fact.value;
}

function bpaOutput(flags: PublicAccessBlockFlags | null): object {
  if (flags === null) {
    throw serviceError(
      'NoSuchPublicAccessBlockConfiguration',
      404,
      'The public access block configuration was not found',
    );
  }
  return {
    PublicAccessBlockConfiguration: Object.fromEntries(BPA_FLAGS.map((flag) => [PASCAL_BPA_NAMES[flag], flags[flag]])),
  };
}

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
      return { Grantee: { Type: 'Group', URI: grantee.raw }, Permission: permission };
  }
}

function s3Responders(world: OfflineWorld): Readonly<Record<string, Responder>> {
  const bucketOf = (input: JsonRecord): BucketState => {
    const name = stringInput(input, 'Bucket');
    const bucket = world.buckets.get(name);
    if (!bucket) throw notRecorded(`no recorded item or event describes bucket ${name}`);
    if (isDeletedStatus(bucket.status)) {
      throw serviceError('NoSuchBucket', 404, 'The specified bucket does not exist');
    }
    return bucket;
  };
  const update = (bucket: BucketState, change: Partial<BucketState>): object => {
    world.buckets.set(bucket.name, { ...bucket, ...change });
    return {};
  };
  return {
    GetPublicAccessBlockCommand: (input) => bpaOutput(factOr(bucketOf(input).publicAccessBlock)),
    PutPublicAccessBlockCommand: (input) => update(bucketOf(input), { publicAccessBlock: known(bpaInput(input)) }),
    GetBucketTaggingCommand: (input) => {
      const tags = factOr(bucketOf(input).tags);
      const entries = Object.entries(tags);
      if (entries.length === 0) throw serviceError('NoSuchTagSet', 404, 'The TagSet does not exist');
      return { TagSet: entries.map(([Key, Value]) => ({ Key, Value })) };
    },
    GetBucketVersioningCommand: (input) => {
      const versioning = factOr(bucketOf(input).versioning);
      return {
        ...(versioning.status !== 'Off' ? { Status: versioning.status } : {}),
        ...(versioning.mfaDelete !== null ? { MFADelete: versioning.mfaDelete ? 'Enabled' : 'Disabled' } : {}),
      };
    },
    PutBucketVersioningCommand: (input) => {
      const bucket = bucketOf(input);
      const configuration = isRecord(input.VersioningConfiguration) ? input.VersioningConfiguration : {};
      const status = configuration.Status === 'Enabled' ? 'Enabled' : 'Suspended';
      const mfaDelete = bucket.versioning.known ? bucket.versioning.value.mfaDelete : null;
      return update(bucket, { versioning: known({ status, mfaDelete }) });
    },
    GetBucketPolicyCommand: (input) => {
      const policy = factOr(bucketOf(input).policy);
      if (policy === null) throw serviceError('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
      return { Policy: JSON.stringify(policy) };
    },
    GetBucketAclCommand: (input) => {
      const acl = factOr(bucketOf(input).acl);
      return { ...(acl.ownerId ? { Owner: { ID: acl.ownerId } } : {}), Grants: acl.grants.map(grantOutput) };
    },
    GetBucketOwnershipControlsCommand: (input) => {
      const ownership = factOr(bucketOf(input).ownership);
      if (ownership === null) {
        throw serviceError('OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found');
      }
      return { OwnershipControls: { Rules: [{ ObjectOwnership: ownership }] } };
    },
  };
}

function s3ControlResponders(world: OfflineWorld): Readonly<Record<string, Responder>> {
  const accountOf = (input: JsonRecord): AccountBpaState => {
    const accountId = stringInput(input, 'AccountId');
    const account = world.accounts.get(accountId);
    if (!account) throw notRecorded(`no recorded item or event describes account ${accountId}`);
    return account;
  };
  return {
    GetPublicAccessBlockCommand: (input) => bpaOutput(factOr(accountOf(input).publicAccessBlock)),
    PutPublicAccessBlockCommand: (input) => {
      const account = accountOf(input);
      world.accounts.set(account.accountId, { ...account, publicAccessBlock: known(bpaInput(input)) });
      return {};
    },
  };
}

function snsResponders(world: OfflineWorld): Readonly<Record<string, Responder>> {
  return {
    PublishCommand: (input) => {
      const message = typeof input.Message === 'string' ? input.Message : '';
      world.published.push({
        ...(typeof input.TopicArn === 'string' ? { topicArn: input.TopicArn } : {}),
        ...(typeof input.Subject === 'string' ? { subject: input.Subject } : {}),
        message,
      });
      return { MessageId: `offline-${world.published.length}` };
    },
  };
}

/** Installs the responder table on a client; unknown commands fail loudly (no silent network fallback). */
function answerInProcess<
  I extends object,
  O extends MetadataBearer,
  C extends { middlewareStack: MiddlewareStack<I, O> },
>(client: C, responders: Readonly<Record<string, Responder>>): C {
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const name = context.commandName ?? '(unnamed command)';
      const responder = responders[name];
      if (!responder) throw notRecorded(`${name} is not answered offline`);
      const input: JsonRecord = isRecord(args.input) ? args.input : {};
      // The responder tables are keyed by command, so each output has that command's shape.
      const output = { $metadata: {}, ...responder(input) } as O;
      return { output, response: {} };
    },
    { step: 'initialize', name: 'bucketguardOfflineResponder', priority: 'high' },
  );
  return client;
}

const OFFLINE_CREDENTIALS = { accessKeyId: 'OFFLINE', secretAccessKey: 'OFFLINE' };

export interface OfflineClients {
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly sns: SNSClient;
}

export function createOfflineClients(world: OfflineWorld, region = 'us-east-1'): OfflineClients {
  const config = { region, credentials: OFFLINE_CREDENTIALS, maxAttempts: 1 };
  return {
    s3: answerInProcess(new S3Client(config), s3Responders(world)),
    s3control: answerInProcess(new S3ControlClient(config), s3ControlResponders(world)),
    sns: answerInProcess(new SNSClient(config), snsResponders(world)),
  };
}
