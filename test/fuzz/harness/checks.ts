/**
 * The invariants every rule invocation must keep, whatever it was fed. Each check returns the list of violations
 * (empty = fine) so a failing property prints what went wrong, not just "false".
 */
import type { PutEvaluationsCommandInput } from '@aws-sdk/client-config-service';
import { InvalidInvocationError } from '../../../rules/config-protocol/config-event';
import { EvaluationDeliveryError } from '../../../rules/config-protocol/put-evaluations';
import type { InvocationResult } from './rule-harness';

export const DELIVERABLE = new Set(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE']);
export const MAX_PER_CALL = 100;
export const MAX_ANNOTATION = 256;
export const MAX_RESOURCE_ID = 768;
export const MAX_RESOURCE_TYPE = 256;

/** Smithy @length counts Unicode code points (the API reference limits are Smithy model traits). */
export const codePoints = (text: string): number => Array.from(text).length;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Whether the text is ill-formed UTF-16 (a surrogate half without its pair). */
export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);

/** Every string anywhere in the values, including inside JSON-encoded strings (what "as received" means). */
export function receivedStrings(...values: unknown[]): Set<string> {
  const out = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 12) return;
    if (typeof value === 'string') {
      out.add(value);
      if (value.length > 1 && value.length < 2_000_000 && /^\s*[[{"]/.test(value)) {
        try {
          visit(JSON.parse(value), depth + 1);
        } catch {
          // not JSON
        }
      }
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (value instanceof Date) return;
    for (const child of Array.isArray(value) ? value : Object.values(value)) visit(child, depth + 1);
  };
  for (const value of values) visit(value, 0);
  return out;
}

export interface PutCheckContext {
  /** The resultToken as the event carried it (non-empty string) */
  readonly resultToken: string;
  /** Strings the invocation received (event + mocked AWS answers). */
  readonly received: ReadonlySet<string>;
}

/** PutEvaluations requests are valid: what Config's API model accepts, and ids/types exactly as received. */
export function checkPutEvaluations(puts: readonly PutEvaluationsCommandInput[], context: PutCheckContext): string[] {
  const problems: string[] = [];
  puts.forEach((put, call) => {
    const where = `PutEvaluations #${call + 1}`;
    const evaluations = put.Evaluations ?? [];
    if (evaluations.length < 1 || evaluations.length > MAX_PER_CALL)
      problems.push(`${where}: ${evaluations.length} evaluations (1-${MAX_PER_CALL} allowed)`);
    if (put.ResultToken !== context.resultToken)
      problems.push(`${where}: ResultToken ${JSON.stringify(put.ResultToken)} is not the event's`);
    const testMode = context.resultToken === 'TESTMODE';
    if ((put.TestMode ?? false) !== testMode)
      problems.push(`${where}: TestMode ${put.TestMode} for token ${JSON.stringify(context.resultToken)}`);
    const keys = new Set<string>();
    for (const evaluation of evaluations) {
      const id = evaluation.ComplianceResourceId;
      const type = evaluation.ComplianceResourceType;
      const label = `${where} ${JSON.stringify(type)}/${JSON.stringify(id)?.slice(0, 80)}`;
      if (!DELIVERABLE.has(String(evaluation.ComplianceType)))
        problems.push(`${label}: ComplianceType ${evaluation.ComplianceType}`);
      if (typeof id !== 'string' || codePoints(id) < 1 || codePoints(id) > MAX_RESOURCE_ID) {
        problems.push(
          `${label}: ComplianceResourceId length ${typeof id === 'string' ? codePoints(id) : typeof id} (1-${MAX_RESOURCE_ID})`,
        );
      } else if (!context.received.has(id)) problems.push(`${label}: ComplianceResourceId was not received`);
      if (typeof type !== 'string' || codePoints(type) < 1 || codePoints(type) > MAX_RESOURCE_TYPE) {
        problems.push(`${label}: ComplianceResourceType length (1-${MAX_RESOURCE_TYPE})`);
      } else if (
        !context.received.has(type) &&
        !['AWS::S3::Bucket', 'AWS::S3::AccountPublicAccessBlock', 'AWS::::Account'].includes(type)
      ) {
        problems.push(`${label}: ComplianceResourceType was not received`);
      }
      const annotation = evaluation.Annotation;
      if (annotation !== undefined) {
        if (typeof annotation !== 'string' || codePoints(annotation) < 1 || codePoints(annotation) > MAX_ANNOTATION) {
          problems.push(
            `${label}: Annotation length ${typeof annotation === 'string' ? codePoints(annotation) : typeof annotation} (1-${MAX_ANNOTATION})`,
          );
        } else if (hasLoneSurrogate(annotation)) {
          problems.push(
            `${label}: Annotation is not well-formed Unicode (a lone surrogate): ${JSON.stringify(annotation.slice(-20))}`,
          );
        }
      }
      const ts = evaluation.OrderingTimestamp;
      if (!(ts instanceof Date) || Number.isNaN(ts.getTime()))
        problems.push(`${label}: OrderingTimestamp ${String(ts)}`);
      const key = `${type}\u0000${id}`;
      if (keys.has(key)) problems.push(`${label}: the same resource twice in one call`);
      keys.add(key);
    }
  });
  return problems;
}

/** The handler resolved, or rejected only with one of the typed, documented errors; never a crash. */
export function checkOutcomeTyped(result: InvocationResult, allowDeliveryError: boolean): string[] {
  if (result.error === undefined) return [];
  const error = result.error;
  if (error instanceof InvalidInvocationError) {
    if (result.puts.length > 0) return ['InvalidInvocationError after PutEvaluations was called'];
    return error.message.trim() === '' ? ['InvalidInvocationError without a message'] : [];
  }
  if (error instanceof EvaluationDeliveryError) {
    if (error.undelivered.length === 0) return ['EvaluationDeliveryError listing nothing'];
    // An identity Config would reject (type > 256 or id > 768 characters) can never be delivered: failing loudly is right.
    const unreportable = error.undelivered.every((u) => u.reason.startsWith('cannot be reported'));
    if (!allowDeliveryError && !unreportable)
      return [`EvaluationDeliveryError without any injected fault: ${error.message.slice(0, 400)}`];
    return [];
  }
  const description =
    error instanceof Error
      ? `${error.name}: ${error.message}\n${error.stack?.split('\n').slice(0, 6).join('\n')}`
      : String(error);
  return [`uncaught ${description}`];
}

/** Never reported as delivered when it was not: the report's count equals what PutEvaluations accepted. */
export function checkDeliveredCount(result: InvocationResult): string[] {
  if (result.report === undefined) return [];
  const accepted = result.accepted.length;
  return result.report.delivered === accepted
    ? []
    : [`report says ${result.report.delivered} delivered, PutEvaluations accepted ${accepted}`];
}

/** Bad input leaves a WARN/ERROR log line with a reason. */
export function checkLoggedWithReason(result: InvocationResult, why: string): string[] {
  return result.logs.reasoned().length > 0 ? [] : [`${why}, but nothing was logged at WARN/ERROR with a reason`];
}

export function assertNoViolations(problems: readonly string[], context: () => unknown): void {
  if (problems.length === 0) return;
  let shown: string;
  try {
    shown = JSON.stringify(context(), (_key, value) =>
      typeof value === 'string' && value.length > 300 ? `${value.slice(0, 300)}…(${value.length})` : value,
    ).slice(0, 3_000);
  } catch {
    shown = '(unprintable)';
  }
  throw new Error(`${problems.join('\n')}\ninput: ${shown}`);
}
