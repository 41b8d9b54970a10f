#!/usr/bin/env node
// A CDK app that uses bucketguard: `cdk init app --language typescript`, then `npm i bucketguard cdk-nag`.
import { App, Validations } from 'aws-cdk-lib';
import { BucketGuardChecks } from 'bucketguard';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConsumerAppStack } from '../lib/consumer-app-stack';

const app = new App();
new ConsumerAppStack(app, 'ConsumerAppStack');

// cdk-nag 3 (what `npm i cdk-nag` installs) on every stack; with cdk-nag 2: Aspects.of(app).add(new AwsSolutionsChecks()).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
// bucketguard's own rules on every bucket of the app, before deploy: a public bucket fails the synth.
Validations.of(app).addPlugins(new BucketGuardChecks());
