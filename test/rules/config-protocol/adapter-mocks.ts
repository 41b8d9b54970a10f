/**
 * The aws-sdk-client-mock setup the adapter suites share: Config, S3 and S3 Control mocked at the client boundary
 * (every instance of each class), reset before each test with the answers most tests want. Import it once per test
 * file: each file gets its own mocks (jest loads modules per file).
 */
import {
  ConfigServiceClient,
  ConfigServiceServiceException,
  PutEvaluationsCommand,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { GetBucketOwnershipControlsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient, S3ControlServiceException } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { HandlerOptions } from '../../../rules/config-protocol/adapter';
import { NOW } from './adapter-support';

export const configMock = mockClient(ConfigServiceClient);
export const s3Mock = mockClient(S3Client);
export const s3controlMock = mockClient(S3ControlClient);

/** The resultToken of the recorded invocations in events/invocations/. */
export const TOKEN =
  'eyJlbmNyeXB0ZWREYXRhIjpbMTIsLTQ1LDg4LDEwMiwtNyw1NSwtMTE5LDMzXSwibWF0ZXJpYWxTZXRTZXJpYWxOdW1iZXIiOjEsIml2UGFyYW1ldGVyU3BlYyI6eyJpdiI6WzEsMiwzLDQsNSw2LDcsOCw5LDEwLDExLDEyXX19';

/** bucketguard's own backoff (FailedEvaluations, unprocessed keys): recorded, never waited. */
export const sleep = jest.fn(async (_ms: number) => {});

export function options(extra: Partial<HandlerOptions> = {}): HandlerOptions {
  return {
    clients: () => ({ config: new ConfigServiceClient({}), s3: new S3Client({}), s3control: new S3ControlClient({}) }),
    now: () => NOW,
    retry: { attempts: 3, baseDelayMs: 100 },
    sleep,
    random: () => 0.5,
    ...extra,
  };
}

export function accessDenied(): S3ControlServiceException {
  return new S3ControlServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: 'Access Denied',
  });
}

/** What Config answers a role without config:SelectResourceConfig: the sweep then lists and batch-reads. */
export function selectDenied(): ConfigServiceServiceException {
  return new ConfigServiceServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'not authorized to perform: config:SelectResourceConfig',
  });
}

export function putCalls(): Array<Record<string, unknown>> {
  return configMock
    .commandCalls(PutEvaluationsCommand)
    .map((call) => call.args[0].input as unknown as Record<string, unknown>);
}

export const ALL_ON_LIVE = {
  PublicAccessBlockConfiguration: {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  },
};

beforeEach(() => {
  configMock.reset();
  s3Mock.reset();
  s3controlMock.reset();
  sleep.mockClear();
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  // Most sweep tests are about the list-and-batch path; adapter-query.test.ts serves the advanced query.
  configMock.on(SelectResourceConfigCommand).rejects(selectDenied());
  s3controlMock.on(GetPublicAccessBlockCommand).resolves(ALL_ON_LIVE);
  s3Mock
    .on(GetBucketOwnershipControlsCommand)
    .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
});
