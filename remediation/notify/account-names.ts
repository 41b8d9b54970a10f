/**
 * Account names for the organization's emails, from AWS Organizations (DescribeAccount), cached per warm Lambda: a
 * name for an hour, a failure (not the management account or a delegated administrator, throttled, closed account)
 * for five minutes, so a burst of findings costs one call per account. A name that cannot be read is undefined:
 * the email then names the account by id (and says so), it is never held back.
 */
import type { OrganizationsClient } from '@aws-sdk/client-organizations';

export const NAME_TTL_MS = 3_600_000;
export const FAILURE_TTL_MS = 300_000;

export interface AccountNamesOptions {
  readonly now?: () => number;
  readonly onError?: (accountId: string, error: unknown) => void;
}

export type AccountNames = (accountId: string) => Promise<string | undefined>;

export function organizationsAccountNames(
  client: () => OrganizationsClient,
  options: AccountNamesOptions = {},
): AccountNames {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { readonly name: string | undefined; readonly until: number }>();
  return async (accountId) => {
    const cached = cache.get(accountId);
    if (cached && cached.until > now()) return cached.name;
    // Required on first use: the notify bundle loads the Organizations package only in the security account.
    const { DescribeAccountCommand } =
      require('@aws-sdk/client-organizations') as typeof import('@aws-sdk/client-organizations');
    try {
      const response = await client().send(new DescribeAccountCommand({ AccountId: accountId }));
      const name = response.Account?.Name || undefined;
      cache.set(accountId, { name, until: now() + NAME_TTL_MS });
      return name;
    } catch (error) {
      options.onError?.(accountId, error);
      cache.set(accountId, { name: undefined, until: now() + FAILURE_TTL_MS });
      return undefined;
    }
  };
}
