/**
 * Direct invocation of enable-versioning (ops, runbooks): `{ "bucket": "name" }`.
 * Mode, exemptions and anti-flapping come from the same BUCKETGUARD_* configuration as the event-driven Lambda.
 */
import { lambdaDirectHandler } from '../shared/direct';
import { snsPublisher } from '../shared/publish';
import { createRemediationRuntime } from '../shared/runtime';

export const handler = lambdaDirectHandler('enable-versioning', 'bucket', () => {
  const runtime = createRemediationRuntime('bucketguard-enable-versioning');
  return { ...runtime, publish: snsPublisher(runtime.sns, runtime.topicArn) };
});
