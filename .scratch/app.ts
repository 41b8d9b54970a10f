import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketGuardChecks } from '../infra/checks';

const app = new App({ outdir: '/tmp/pl/out' });
const stack = new Stack(app, 'Site');
new s3.Bucket(stack, 'Site', {
  publicReadAccess: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY,
  versioned: true,
});
new s3.Bucket(stack, 'Private', { versioned: true, enforceSSL: true });
Validations.of(app).addPlugins(new BucketGuardChecks({ findingSeverity: process.env.SEV ?? 'error' }));
app.synth();
