/** Remediation actions as data: infra builds least-privilege IAM from `permissions`; the CLI and docs list them. */
export const ACTION_IDS = ['block-public-access', 'block-account-public-access', 'enable-versioning'] as const;
export type ActionId = (typeof ACTION_IDS)[number];

export const REMEDIATION_MODES = ['notify', 'remediate'] as const;
/** `notify` is a dry run: the plan is computed from live state and mailed, nothing is changed. */
export type RemediationMode = (typeof REMEDIATION_MODES)[number];

export interface ActionDefinition {
  readonly id: ActionId;
  readonly title: string;
  readonly target: 'bucket' | 'account';
  /** Off unless a deployment turns it on (enable-versioning). */
  readonly optIn: boolean;
  /** Every IAM action apply.ts and the live-state read call; nothing else is granted. */
  readonly permissions: readonly string[];
}

export function isActionId(value: string): value is ActionId {
  return (ACTION_IDS as readonly string[]).includes(value);
}
