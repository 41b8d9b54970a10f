/**
 * S3 and S3 Control clients for the CLI and the integration suite: standard credential chain (or a named profile),
 * adaptive retry for throttling, and what S3-compatible endpoints need.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { S3ControlClient, type S3ControlClientConfig } from '@aws-sdk/client-s3-control';

export interface S3ClientOptions {
  /** An S3-compatible endpoint (e.g. `http://127.0.0.1:7480`); path-style addressing is used with it. */
  readonly endpoint?: string;
  readonly region?: string;
  /** A named profile from the shared config/credentials files; otherwise the standard chain. */
  readonly profile?: string;
  /** Attempts per call, first try included (default DEFAULT_S3_MAX_ATTEMPTS; the CLI passes --max-attempts). */
  readonly maxAttempts?: number;
  /** Sockets per client (per protocol); default 50. */
  readonly maxSockets?: number;
  /** Static credentials (integration tests against a local server); production uses the chain. */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /**
   * An S3 Control endpoint (e.g. a local S3-compatible server); else AWS_ENDPOINT_URL_S3_CONTROL, else AWS's.
   * Calls go to exactly this URL (see fixedS3ControlEndpoint).
   */
  readonly s3controlEndpoint?: string;
}

export interface S3Clients {
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
}

export const DEFAULT_REGION = 'us-east-1';

/**
 * The SDK's own default, stated so no AWS_MAX_ATTEMPTS in a user's shell changes it unseen. The SDK is the only
 * retry layer of the scan's calls: nothing in bucketguard retries a thrown error again (a read that still fails
 * becomes an unknown setting, said in the result).
 */
export const DEFAULT_S3_MAX_ATTEMPTS = 3;

/** SDK default; the scan raises it to its own bound (buckets at once x calls per bucket) so no request queues. */
export const DEFAULT_MAX_SOCKETS = 50;

/** A hung connection must become a per-call error (then retried), not a scan that never ends. */
function requestHandlerOptions(options: S3ClientOptions) {
  const agent = { keepAlive: true, maxSockets: options.maxSockets ?? DEFAULT_MAX_SOCKETS };
  return {
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    throwOnRequestTimeout: true,
    httpAgent: agent,
    httpsAgent: agent,
  };
}

/**
 * What the S3 and S3 Control clients share: retry, profile or static credentials, sockets. Adaptive retry: a scan
 * sends many calls at once from one client, and its rate limiter slows them all after a throttle.
 */
function sharedConfig(options: S3ClientOptions) {
  return {
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_S3_MAX_ATTEMPTS,
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.credentials !== undefined ? { credentials: { ...options.credentials } } : {}),
    requestHandler: requestHandlerOptions(options),
  };
}

export function s3ClientConfig(options: S3ClientOptions = {}, regionOverride?: string): S3ClientConfig {
  const region = regionOverride ?? options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  return {
    region: region ?? DEFAULT_REGION,
    ...sharedConfig(options),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    // Buckets of one account live in many Regions; a call sent to the wrong one is retried where S3 says it lives.
    followRegionRedirects: options.endpoint === undefined,
    // Default checksums (SDK >= 3.729) break S3-compatible servers such as Ceph RGW 16 (MissingContentLength 411).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

export function createS3Client(options: S3ClientOptions = {}, region?: string): S3Client {
  return new S3Client(s3ClientConfig(options, region));
}

/** The SDK's standard service-specific endpoint variable for S3 Control. */
export const S3_CONTROL_ENDPOINT_VARIABLE = 'AWS_ENDPOINT_URL_S3_CONTROL';

/**
 * The S3 Control endpoint to use instead of AWS's: the option, else AWS_ENDPOINT_URL_S3_CONTROL (unless
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true, as in every AWS SDK); undefined for AWS's own.
 */
export function configuredS3ControlEndpoint(
  options: Pick<S3ClientOptions, 's3controlEndpoint'> = {},
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (options.s3controlEndpoint !== undefined) return options.s3controlEndpoint;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  const fromEnv = env[S3_CONTROL_ENDPOINT_VARIABLE]?.trim();
  if (!fromEnv) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(fromEnv);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new Error(
      `${S3_CONTROL_ENDPOINT_VARIABLE} must be an http or https URL such as http://127.0.0.1:5000; received "${fromEnv}".`,
    );
  }
  return fromEnv;
}

/**
 * S3 Control's endpoint rules put the account id in front of the host of any custom endpoint
 * (`http://123456789012.127.0.0.1:5000`), a name that does not resolve (and, for an IP address, not even a valid
 * URL). S3-compatible servers take the account id from the x-amz-account-id header, so every call goes to the
 * endpoint as given; signing is unchanged (service "s3", the client's Region).
 */
export function fixedS3ControlEndpoint(endpoint: string): S3ControlClientConfig['endpointProvider'] {
  const url = new URL(endpoint);
  return () => ({ url: new URL(url.href) });
}

export function createS3Clients(options: S3ClientOptions = {}): S3Clients {
  const s3Config = s3ClientConfig(options);
  const controlEndpoint = configuredS3ControlEndpoint(options);
  const controlConfig: S3ControlClientConfig = {
    region: s3Config.region,
    ...sharedConfig(options),
    ...(controlEndpoint !== undefined
      ? { endpointProvider: fixedS3ControlEndpoint(controlEndpoint) }
      : options.endpoint !== undefined
        ? { endpoint: options.endpoint }
        : {}),
  };
  return { s3: new S3Client(s3Config), s3control: new S3ControlClient(controlConfig) };
}
