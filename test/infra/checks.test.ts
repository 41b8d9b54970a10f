/**
 * BucketGuardChecks, the CDK check: bucketguard's rules on the synthesized buckets of any app, reported through
 * CDK's policy validation with bucketguard's annotations.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { logAccessTo } from '../../infra/access-logs';
import { BucketGuardChecks, type BucketGuardChecksProps, InvalidBucketGuardChecksError } from '../../infra/checks';

function synthWith(props: BucketGuardChecksProps, addBuckets: (stack: Stack) => void) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bucketguard-checks-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Site');
  addBuckets(stack);
  Validations.of(app).addPlugins(new BucketGuardChecks(props));
  let message = '';
  try {
    app.synth();
  } catch (error) {
    message = (error as Error).message;
  }
  const reportFile = path.join(outdir, 'validation-report.json');
  const report = fs.existsSync(reportFile)
    ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as {
        pluginReports: { violations: { ruleName: string; description: string; severity: string }[] }[];
      })
    : { pluginReports: [] };
  const violations = report.pluginReports.flatMap((plugin) => plugin.violations);
  return { failed: message !== '', message, violations };
}

const website = (stack: Stack) =>
  new s3.Bucket(stack, 'Website', {
    publicReadAccess: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
  });

it('a public website bucket fails the synth with the rules’ own annotations', () => {
  const { failed, violations } = synthWith({}, website);
  expect(failed).toBe(true);
  expect(violations.map((v) => [v.ruleName, v.severity, v.description])).toEqual([
    [
      'bucketguard-s3-bucket-public-access-prohibited',
      'error',
      // Shortened to 256 characters by the runner, as for Config.
      'Public read via bucket policy: statement #1 allows * (no limiting condition); RestrictPublicBuckets is off at bucket level. Account-level Block Public Access unknown; evaluated as off.',
    ],
    [
      'bucketguard-s3-bucket-level-public-access-blocked',
      'error',
      'Bucket-level Block Public Access is off for: BlockPublicPolicy, RestrictPublicBuckets.',
    ],
    [
      'bucketguard-s3-bucket-cross-account-access-prohibited',
      'error',
      'Cross-account access via bucket policy: statement #1 gives read to * (public). Account-level Block Public Access unknown (not described by the app: give BucketGuardChecks accountPublicAccessBlock); evaluated as off.',
    ],
    ['bucketguard-s3-bucket-logging-enabled', 'error', 'Server access logging is not enabled.'],
    [
      'bucketguard-s3-bucket-ssl-requests-only',
      'error',
      'The bucket policy has no Deny statement for aws:SecureTransport false: requests over plain HTTP are not refused.',
    ],
  ]);
});

it('findingSeverity "warning" reports the same findings without failing; rules narrows the check', () => {
  const warned = synthWith({ findingSeverity: 'warning', rules: ['s3-bucket-public-access-prohibited'] }, website);
  expect(warned.failed).toBe(false);
  expect(warned.violations.map((v) => [v.ruleName, v.severity])).toEqual([
    ['bucketguard-s3-bucket-public-access-prohibited', 'warning'],
  ]);
});

it("the account's Block Public Access, when given, neutralises what it blocks", () => {
  const allOn = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  const { violations } = synthWith(
    { accountPublicAccessBlock: allOn, rules: ['s3-bucket-public-access-prohibited'] },
    website,
  );
  expect(violations).toEqual([]);
});

it('a well-configured bucket passes', () => {
  const { failed, violations } = synthWith({}, (stack) => {
    const settings = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      enforceSSL: true,
    };
    const data = new s3.Bucket(stack, 'Data', settings);
    const logs = new s3.Bucket(stack, 'AccessLogs', settings);
    logAccessTo(data, logs, 'data/');
    // The log bucket itself does not log (it would log its own deliveries): acknowledged, as BucketGuard does.
    Validations.of(logs).acknowledge({
      id: 'bucketguard::bucketguard-s3-bucket-logging-enabled',
      reason: 'log target',
    });
  });
  expect({ failed, violations }).toEqual({ failed: false, violations: [] });
});

it('a stack without resources has nothing to check (and does not break the synth)', () => {
  expect(synthWith({}, () => {})).toEqual({ failed: false, message: '', violations: [] });
});

it('bad props fail at once, naming what is accepted', () => {
  expect(
    () => new BucketGuardChecks({ ruleParameters: { 's3-bucket-versioning-enabled': { mfaDeleteRequired: 'maybe' } } }),
  ).toThrow(/^BucketGuardChecks: ruleParameters\.s3-bucket-versioning-enabled: /);
  expect(() => new BucketGuardChecks({ rules: ['s3-bucket-account-level-public-access-blocked'] })).toThrow(
    InvalidBucketGuardChecksError,
  );
  expect(() => new BucketGuardChecks({ findingSeverity: 'fatal' })).toThrow(
    'BucketGuardChecks: findingSeverity must be "error" or "warning"; received "fatal".',
  );
});
