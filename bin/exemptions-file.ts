/**
 * `--exemptions FILE` (evaluate, scan, replay): the approved exemption list as the deployment holds it in its SSM
 * parameter (the same JSON list as the construct prop `exemptions`). A file that cannot be read or is not a valid
 * list is a usage error: the CLI never guesses that nothing (or everything) is exempt. End dates are checked at each
 * decision against the evaluation time, so a list with an ended entry still loads (the entry just does not apply).
 */
import { readFileSync } from 'node:fs';
import {
  type ApprovedExemptionContext,
  DEFAULT_MAX_EXEMPTION_DAYS,
  validateExemptionList,
} from '../model/approved-exemptions';
import { known } from '../model/types';
import { UsageError } from './io';

export interface ExemptionsFile {
  /** The file's text, as the offline SSM parameter answers it (replay). */
  readonly text: string;
  readonly context: ApprovedExemptionContext;
}

export function readExemptionsFile(
  path: string,
  now: Date,
  homeAccount?: string,
  maxDays = DEFAULT_MAX_EXEMPTION_DAYS,
): ExemptionsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--exemptions: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`--exemptions: ${path} is not valid JSON (a list of approved exemption entries)`);
  }
  try {
    const list = validateExemptionList(raw, now, maxDays, { checkDates: false });
    return {
      text,
      context: { list: known(list), maxDays, ...(homeAccount !== undefined ? { homeAccount } : {}) },
    };
  } catch (error) {
    throw new UsageError(`--exemptions: ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
