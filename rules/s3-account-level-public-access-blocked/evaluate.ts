import { unknownInput } from '../../model/annotation';
import {
  type AccountBpaState,
  type BpaFlag,
  type EvaluationContext,
  type Fact,
  isDeletedStatus,
  type PublicAccessBlockFlags,
  type ResourceType,
  type RuleResult,
} from '../../model/types';
import { describeFlags, flagsOff } from '../../model/wording';
import { couldNotEvaluate } from '../run-rule';

export interface AccountLevelBpaParameters {
  /** The account-level flags that must be on. */
  readonly flags: readonly BpaFlag[];
}

/**
 * Which state to judge, and which resource to report it on.
 * - A configuration item (change trigger) is reported on AWS::S3::AccountPublicAccessBlock, the resource Config scoped.
 * - Anything else (periodic run: live read in context.accountBpa, or a live-read state) is reported on AWS::::Account,
 *   as Config expects for periodic account-level results. That is also where "never configured" goes, so a periodic
 *   run clears that NON_COMPLIANT once the account is configured; nothing stays stale.
 * - A deleted AccountPublicAccessBlock item means the configuration was removed: all four flags are off again.
 */
function accountState(
  account: AccountBpaState | undefined,
  context: EvaluationContext,
): { fact: Fact<PublicAccessBlockFlags | null>; resourceType: ResourceType; deleted: boolean } {
  if (account !== undefined) {
    const fromConfigItem = account.source.startsWith('config-');
    const resourceType = fromConfigItem ? 'AWS::S3::AccountPublicAccessBlock' : 'AWS::::Account';
    if (isDeletedStatus(account.status)) return { fact: { known: true, value: null }, resourceType, deleted: true };
    return { fact: account.publicAccessBlock, resourceType, deleted: false };
  }
  // No item (periodic run): the adapter's live read decides. NoSuchPublicAccessBlockConfiguration is known(null), i.e.
  // never configured; a failed read stays unknown, so a missing permission is never reported as "never configured".
  return { fact: context.accountBpa, resourceType: 'AWS::::Account', deleted: false };
}

export function evaluateAccountLevelBpa(
  accountId: string,
  account: AccountBpaState | undefined,
  params: AccountLevelBpaParameters,
  context: EvaluationContext,
): RuleResult {
  if (account?.status === 'ResourceNotRecorded') {
    return couldNotEvaluate(
      'AWS::S3::AccountPublicAccessBlock',
      accountId,
      'account-level Block Public Access is not recorded by AWS Config (ResourceNotRecorded)',
    );
  }
  const { fact, resourceType, deleted } = accountState(account, context);
  if (!fact.known) {
    return couldNotEvaluate(resourceType, accountId, unknownInput('account-level Block Public Access', fact));
  }
  if (fact.value === null) {
    return {
      resourceType: 'AWS::::Account',
      resourceId: accountId,
      compliance: 'NON_COMPLIANT',
      annotation: deleted
        ? 'Account-level Block Public Access configuration was deleted: all four settings are off for every bucket in the account.'
        : 'Account-level Block Public Access has never been configured: all four settings are off for every bucket in the account.',
    };
  }
  const off = flagsOff(fact.value, params.flags);
  return off.length > 0
    ? {
        resourceType,
        resourceId: accountId,
        compliance: 'NON_COMPLIANT',
        annotation: `Account-level Block Public Access is off for: ${describeFlags(off)}.`,
      }
    : {
        resourceType,
        resourceId: accountId,
        compliance: 'COMPLIANT',
        annotation: `Account-level Block Public Access is on for: ${describeFlags(params.flags)}.`,
      };
}
