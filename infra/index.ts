/**
 * The package's CDK entry point (`import { BucketGuard } from 'bucketguard'`): the construct, its props, and the
 * CDK check for any app's buckets. The CLI's programmatic API is `bucketguard/cli` (bin/api.ts).
 */
export { BucketGuard, type RuleDeployment } from './bucketguard';
export {
  type AccountPublicAccessBlock,
  BucketGuardChecks,
  type BucketGuardChecksProps,
  InvalidBucketGuardChecksError,
} from './checks';
export { DEFAULT_REGISTRY } from './default-registry';
export { ACCEPTED as ACCEPTED_NAG_FINDINGS, type AcceptedFinding } from './nag';
export { type BucketGuardProps, InvalidBucketGuardPropsError } from './props';
export type { BucketGuardRegistry, RegisteredRule } from './registry';
