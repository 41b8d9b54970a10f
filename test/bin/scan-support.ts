/** Shared by the scan command tests: S3 / S3 Control mocked at the client boundary, answering like S3 would. */
import {
  GetBucketAclCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
  S3ControlServiceException,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { createScanCommand, type ScanCommandDeps } from '../../bin/commands/scan';
import type { CliIo } from '../../bin/io';
import type { ResultRow } from '../../bin/report';
import type { ScanClients } from '../../bin/scan/read-account';

export const s3Mock = mockClient(S3Client);
export const s3controlMock = mockClient(S3ControlClient);
const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
export const NOW = new Date('2026-11-23T10:00:00.000Z');
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const FOUR_ON = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: 'UnknownError',
  });
}

/** S3 Control's answer for an account that never configured account-level Block Public Access. */
export function accountBpaNeverConfigured(): void {
  s3controlMock.on(GetAccountPublicAccessBlockCommand).rejects(
    new S3ControlServiceException({
      name: 'NoSuchPublicAccessBlockConfiguration',
      $fault: 'client',
      $metadata: { httpStatusCode: 404 },
      message: 'not found',
    }),
  );
}

export interface BucketSetup {
  readonly publicRead?: boolean;
  readonly bpa?: typeof FOUR_ON;
  readonly versioning?: 'Enabled' | 'Suspended';
  readonly tags?: Record<string, string>;
  readonly denyVersioning?: boolean;
  /** Server access logging target; none = logging off. */
  readonly logsTo?: { readonly bucket: string; readonly prefix: string };
}

/** Answers the seven bucket-level reads for one bucket, as S3 would. */
export function answerBucket(name: string, setup: BucketSetup = {}): void {
  const input = { Bucket: name };
  s3Mock.on(GetBucketAclCommand, input).resolves({
    Owner: { ID: OWNER },
    Grants: [
      { Grantee: { Type: 'CanonicalUser', ID: OWNER }, Permission: 'FULL_CONTROL' },
      ...(setup.publicRead
        ? [{ Grantee: { Type: 'Group' as const, URI: ALL_USERS }, Permission: 'READ' as const }]
        : []),
    ],
  });
  s3Mock.on(GetBucketPolicyCommand, input).rejects(s3Error('NoSuchBucketPolicy', 404));
  if (setup.bpa) s3Mock.on(GetPublicAccessBlockCommand, input).resolves({ PublicAccessBlockConfiguration: setup.bpa });
  else s3Mock.on(GetPublicAccessBlockCommand, input).rejects(s3Error('NoSuchPublicAccessBlockConfiguration', 404));
  if (setup.denyVersioning) s3Mock.on(GetBucketVersioningCommand, input).rejects(s3Error('AccessDenied', 403));
  else s3Mock.on(GetBucketVersioningCommand, input).resolves(setup.versioning ? { Status: setup.versioning } : {});
  s3Mock
    .on(GetBucketOwnershipControlsCommand, input)
    .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } });
  if (setup.tags) {
    s3Mock
      .on(GetBucketTaggingCommand, input)
      .resolves({ TagSet: Object.entries(setup.tags).map(([Key, Value]) => ({ Key, Value })) });
  } else {
    s3Mock.on(GetBucketTaggingCommand, input).rejects(s3Error('NoSuchTagSet', 404));
  }
  s3Mock
    .on(GetBucketLoggingCommand, input)
    .resolves(
      setup.logsTo ? { LoggingEnabled: { TargetBucket: setup.logsTo.bucket, TargetPrefix: setup.logsTo.prefix } } : {},
    );
}

export function listBuckets(...names: string[]): void {
  s3Mock.on(ListBucketsCommand).resolves({ Buckets: names.map((Name) => ({ Name, BucketRegion: 'us-east-1' })) });
}

export interface Captured {
  readonly io: CliIo;
  readonly out: string[];
  readonly err: string[];
}

export function capture(isTTY = false): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text) => out.push(text), err: (text) => err.push(text), isTTY }, out, err };
}

export function deps(overrides: Partial<ScanClients> = {}): ScanCommandDeps {
  return {
    now: () => NOW,
    clients: (options) => ({
      s3: new S3Client({ region: 'us-east-1' }),
      ...(options.accountId !== undefined ? { s3control: new S3ControlClient({ region: 'us-east-1' }) } : {}),
      ...overrides,
    }),
  };
}

export async function runJson(args: string[], extra: Partial<ScanClients> = {}) {
  const captured = capture();
  const code = await createScanCommand(deps(extra))(['--json', ...args], captured.io);
  const document = JSON.parse(captured.out.join('\n')) as {
    results: ResultRow[];
    notes: string[];
    remediation?: { mode: string; outcomes: { target: string; action: string; status: string; reason: string }[] };
  };
  return { code, document, ...captured };
}

export const row = (
  resourceId: string,
  rule: string,
  compliance: string,
  annotation: string,
  accountId: string | null = null,
) => ({
  resourceType: 'AWS::S3::Bucket',
  resourceId,
  accountId,
  rule,
  compliance,
  annotation,
  source: 'live',
});

/** Call in each file's beforeEach: every test starts with no answers. */
export function resetScanMocks(): void {
  s3Mock.reset();
  s3controlMock.reset();
}
