/**
 * The approved exemption list for one rule invocation: from the SSM parameter named by the rule parameter
 * `exemptionsParameter` (none: nothing is approved). Anything unreadable is an unknown list: the rule then exempts
 * nothing and its annotation says why (run-rule.ts). The Lambda role may read exactly this one parameter (infra).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { readExemptionParameter } from '../../aws/exemption-list';
import {
  type ApprovedExemption,
  type ApprovedExemptionContext,
  DEFAULT_MAX_EXEMPTION_DAYS,
} from '../../model/approved-exemptions';
import { type Fact, known, unknown } from '../../model/types';
import { exemptionSettingsOf } from '../run-rule';
import type { RuleClients } from './clients';

export async function loadApprovedExemptions(
  clients: RuleClients,
  params: unknown,
  homeAccount: string | undefined,
  now: Date,
  logger: Logger,
  ruleId: string,
): Promise<ApprovedExemptionContext> {
  const settings = exemptionSettingsOf(params);
  const maxDays = settings.maxDays ?? DEFAULT_MAX_EXEMPTION_DAYS;
  let list: Fact<readonly ApprovedExemption[]>;
  if (!settings.enabled || settings.parameterName === undefined) list = known([]);
  else if (clients.ssm === undefined) list = unknown('no SSM client to read it with');
  else list = await readExemptionParameter(clients.ssm, settings.parameterName, now, maxDays);
  if (!list.known) {
    logger.warn('Exemption list unreadable: nothing is exempt', {
      rule: ruleId,
      parameter: settings.parameterName,
      problem: list.reason,
    });
  }
  return { list, maxDays, ...(homeAccount !== undefined ? { homeAccount } : {}) };
}
