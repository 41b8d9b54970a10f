/**
 * Direct invocation of block-account-public-access (ops, runbooks): `{ "accountId": "123456789012" }`.
 * Mode, exemptions and anti-flapping come from the same BUCKETGUARD_* configuration as the event-driven Lambda.
 */
import { lambdaDirectHandler } from '../shared/direct';
import { snsPublisher } from '../shared/publish';
import { createRemediationRuntime } from '../shared/runtime';

export const handler = lambdaDirectHandler('block-account-public-access', 'account', () => {
  const runtime = createRemediationRuntime('bucketguard-block-account-public-access');
  return { ...runtime, publish: snsPublisher(runtime.sns, runtime.topicArn) };
});
