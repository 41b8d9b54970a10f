/**
 * The exit codes of every bucketguard command, one set for all (README "Exit codes").
 * 0: done, findings or not; 1: an error (input that could not be processed and nothing was, a failed invocation or
 * remediation, an unexpected failure); 2: usage error; 3: findings, with `--fail-on-findings`.
 */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_FINDINGS = 3;
