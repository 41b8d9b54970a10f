/**
 * Reads the approved exemption list from its SSM String parameter (written only by the deployment: infra creates it
 * from the construct props / cdk context). Any doubt is an unknown Fact with the reason: the callers then exempt
 * nothing (rules evaluate normally and say so; remediation treats it as no exemption). Never throws.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { type ApprovedExemption, validateExemptionList } from '../model/approved-exemptions';
import { type Fact, known, unknown } from '../model/types';
import { describeAwsError } from './live-s3';

/** The list's own size limit: an SSM String parameter holds at most 4 KB (standard) or 8 KB (advanced). */
const MAX_LIST_CHARACTERS = 8192;

/** The parameter's text as a validated list (dates are re-checked at each decision, so stale entries do not void it). */
export function parseExemptionParameter(text: string, now: Date, maxDays: number): Fact<ApprovedExemption[]> {
  if (text.length > MAX_LIST_CHARACTERS) return unknown(`the list is longer than ${MAX_LIST_CHARACTERS} characters`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return unknown('the list is not valid JSON');
  }
  try {
    return known(validateExemptionList(raw, now, maxDays, { checkDates: false }));
  } catch (error) {
    return unknown(`the list is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function readExemptionParameter(
  ssm: SSMClient,
  name: string,
  now: Date,
  maxDays: number,
): Promise<Fact<ApprovedExemption[]>> {
  let text: string | undefined;
  try {
    // Required here, not imported: a rule or responder that never reads the list never loads the SSM package.
    const { GetParameterCommand } = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
    const response = await ssm.send(new GetParameterCommand({ Name: name }));
    text = response.Parameter?.Value;
  } catch (error) {
    return unknown(`GetParameter failed: ${describeAwsError(error)}`);
  }
  if (text === undefined) return unknown('GetParameter returned no value');
  return parseExemptionParameter(text, now, maxDays);
}
