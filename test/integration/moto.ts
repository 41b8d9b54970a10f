/**
 * The harness for suites that run against a local AWS: moto_server (moto 5.2, scripts/start-moto.sh) with real AWS
 * SDK v3 clients and no client mocks. It reads MOTO_* (failing, never skipping, without them), builds a client for
 * any service against the server, clears the server's state, and acts as any account (moto: plain credentials are
 * account 123456789012; credentials from STS AssumeRole into arn:aws:iam::<account>:role/<name> act as <account>).
 *
 * Where moto differs from AWS on the wire, the fix is made here, once, and named:
 *  - JSON protocols (Config, Organizations, ...): moto labels JSON bodies "text/html" and writes timestamps as Python datetime strings
 *    ("2026-12-04 02:47:24.284207+00:00"); AWS sends epoch seconds, and SDK v3 rejects anything else
 *    ("Expected real number"). A deserialize-step middleware turns such values of timestamp members (names ending in
 *    Time, Date or Timestamp) into epoch seconds before the SDK reads them. Nothing else in a response is touched.
 *  - S3 Control: the SDK puts the account id into the host name of a custom endpoint; aws/s3-clients.ts sends the
 *    calls to the endpoint as given (the same code `bucketguard scan --s3control-endpoint` uses).
 *  - S3: path-style addressing (no per-bucket host names on loopback).
 * Differences in what moto answers (rather than how) are stated by the tests that meet them.
 */
import { Readable } from 'node:stream';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createS3Clients } from '../../aws/s3-clients';

/** moto's account for plain (non-assumed) credentials. */
export const MOTO_ACCOUNT_ID = '123456789012';

export interface MotoEnv {
  readonly endpoint: string;
  readonly region: string;
}

export interface MotoCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Who the clients act as: an account id and the credentials moto maps to it. */
export interface MotoAccount {
  readonly accountId: string;
  readonly credentials: MotoCredentials;
}

/** Any credentials work on moto; these act as MOTO_ACCOUNT_ID. */
export const DEFAULT_ACCOUNT: MotoAccount = {
  accountId: MOTO_ACCOUNT_ID,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
};

const REQUIRED = ['MOTO_ENDPOINT', 'MOTO_REGION'] as const;

/** Reads MOTO_*; throws (failing the suite, never skipping it) when any is missing. */
export function motoEnv(): MotoEnv {
  const missing = REQUIRED.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `Integration suite needs a running local AWS (moto_server): ${missing.join(', ')} not set. Start one with ` +
        '`bash scripts/start-moto.sh > /tmp/moto.env && set -a && . /tmp/moto.env && set +a`, or run `bash scripts/ci-integration.sh`.',
    );
  }
  return { endpoint: process.env.MOTO_ENDPOINT as string, region: process.env.MOTO_REGION as string };
}

/** What an SDK v3 client constructor takes that the harness sets. */
export interface MotoClientConfig {
  endpoint: string;
  region: string;
  credentials: MotoCredentials;
  maxAttempts: number;
}

/** The part of an SDK v3 client the harness touches (typed structurally: each client has its own generics). */
interface WithMiddlewareStack {
  readonly middlewareStack: unknown;
  destroy(): void;
}

interface RawResponseStack {
  add(
    middleware: (
      next: (args: unknown) => Promise<{ response: unknown }>,
    ) => (args: unknown) => Promise<{ response: unknown }>,
    options: { step: 'deserialize'; priority: 'low'; name: string },
  ): void;
}

interface RawHttpResponse {
  headers: Record<string, string | undefined>;
  body?: unknown;
}

/** Python's str(datetime) and isoformat() (moto's), never AWS's epoch seconds. */
const PYTHON_DATETIME = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?$/;
const TIMESTAMP_MEMBER = /(Time|Date|Timestamp)$/i;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** moto's timestamp strings -> epoch seconds, for timestamp members only. Exported for the harness's own test. */
export function epochTimestamps(value: Json, key = ''): Json {
  if (Array.isArray(value)) return value.map((item) => epochTimestamps(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, epochTimestamps(item, name)]));
  }
  if (typeof value === 'string' && TIMESTAMP_MEMBER.test(key) && PYTHON_DATETIME.test(value)) {
    const iso = value.replace(' ', 'T');
    const millis = Date.parse(/([+-]\d\d:\d\d|Z)$/.test(iso) ? iso : `${iso}Z`);
    if (Number.isFinite(millis)) return millis / 1000;
  }
  return value;
}

async function readBody(body: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Adds the JSON timestamp fix (see the file comment) to a client. */
function withMotoTimestamps<C extends WithMiddlewareStack>(client: C): C {
  (client.middlewareStack as RawResponseStack).add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as RawHttpResponse;
      if (response.body === undefined) return result;
      const raw = await readBody(response.body);
      let text = raw.toString('utf8');
      // moto labels its JSON "text/html", so the body itself says whether it is JSON.
      if (/^\s*[[{]/.test(text)) {
        try {
          text = JSON.stringify(epochTimestamps(JSON.parse(text) as Json));
        } catch {
          // Not JSON after all: hand it on unchanged.
        }
      }
      response.body = Readable.from([Buffer.from(text, 'utf8')]);
      for (const name of Object.keys(response.headers)) {
        if (name.toLowerCase() === 'content-length') delete response.headers[name];
      }
      return result;
    },
    // 'low' in the deserialize step: below the SDK's deserializer, so this sees the raw HTTP response first.
    { step: 'deserialize', priority: 'low', name: 'motoEpochTimestamps' },
  );
  return client;
}

/** Every client the harness made, destroyed by closeMotoClients(). */
const made: WithMiddlewareStack[] = [];

/** A real client of any service against moto, acting as `account`. */
export function motoClient<C extends WithMiddlewareStack>(
  Client: new (config: MotoClientConfig) => C,
  account: MotoAccount = DEFAULT_ACCOUNT,
  env: MotoEnv = motoEnv(),
): C {
  const client = withMotoTimestamps(
    new Client({ endpoint: env.endpoint, region: env.region, credentials: { ...account.credentials }, maxAttempts: 2 }),
  );
  made.push(client);
  return client;
}

/** S3 (path-style) and S3 Control (account id kept out of the host name) through the project's own factory. */
export function motoS3Clients(account: MotoAccount = DEFAULT_ACCOUNT, env: MotoEnv = motoEnv()) {
  const clients = createS3Clients({
    endpoint: env.endpoint,
    s3controlEndpoint: env.endpoint,
    region: env.region,
    credentials: { ...account.credentials },
    maxAttempts: 2,
  });
  made.push(clients.s3, clients.s3control);
  return clients;
}

export function closeMotoClients(): void {
  for (const client of made.splice(0)) client.destroy();
}

/** Clears every service's state on the server (POST /moto-api/reset). */
export async function resetMoto(env: MotoEnv = motoEnv()): Promise<void> {
  const response = await fetch(`${env.endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
}

/**
 * Credentials that act as another account: STS AssumeRole into arn:aws:iam::<accountId>:role/<roleName> (moto
 * needs no such role to exist; AWS would need the role and a trust policy).
 */
export async function actAsAccount(
  accountId: string,
  roleName = 'bucketguard-integration',
  env: MotoEnv = motoEnv(),
): Promise<MotoAccount> {
  const sts = motoClient(STSClient, DEFAULT_ACCOUNT, env);
  const assumed = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: 'bucketguard' }),
  );
  const credentials = assumed.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new Error(`AssumeRole into ${accountId} returned no credentials`);
  }
  return {
    accountId,
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    },
  };
}

/**
 * Points the standard credential chain at moto's default account, so code that builds its own clients (the CLI)
 * finds credentials the way it does in real use. test/setup-env.ts sets fake keys; these replace them.
 */
export function useMotoCredentials(env: MotoEnv): void {
  process.env.AWS_ACCESS_KEY_ID = DEFAULT_ACCOUNT.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = DEFAULT_ACCOUNT.credentials.secretAccessKey;
  process.env.AWS_REGION = env.region;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

export interface MotoSuite {
  readonly env: MotoEnv;
  readonly account: MotoAccount;
}

/**
 * What every local-AWS suite starts with: MOTO_* read (failing without them), the credential chain pointed at
 * moto's default account, the server's state cleared before the suite (each suite starts from nothing, whatever
 * ran before) and every client destroyed after it.
 */
export function motoSuite(): MotoSuite {
  const env = motoEnv();
  useMotoCredentials(env);
  beforeAll(async () => {
    await resetMoto(env);
  });
  afterAll(() => {
    closeMotoClients();
  });
  return { env, account: DEFAULT_ACCOUNT };
}

/** An unsigned request to the server, as anyone on the internet would send it. */
export async function anonymousRequest(
  env: MotoEnv,
  method: 'GET' | 'PUT',
  path: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${env.endpoint}/${path}`, { method });
  return { status: response.status, body: await response.text() };
}
