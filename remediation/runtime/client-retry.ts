/**
 * The responders' SDK retry settings, in a module of their own so the notify Lambda's bundle (SNS only) can share
 * them without importing the remediation clients.
 *
 * The SDK is the only retry layer for throttling, 5xx and timeouts of these calls: no bucketguard loop retries a
 * thrown error (a failed email fails the invocation, and Lambda retries the event). Standard mode: a few calls per
 * event leave adaptive's client-side rate limiter nothing to learn from. 5 attempts rather than the default 3:
 * throttling on S3 control calls is common when IaC changes many buckets at once.
 */
export const RESPONDER_CLIENT_RETRY = { maxAttempts: 5, retryMode: 'standard' } as const;
