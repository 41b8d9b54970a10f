import type {
  AccountBpaState,
  BucketState,
  EvaluationContext,
  PeriodicFrequency,
  ResourceType,
  RuleResult,
} from './types';

/**
 * A rule parameter as Config delivers it: every value is a string inside the ruleParameters JSON string.
 * `default` is what the rule uses when the key is absent; infra deploys the defaults unless props override them.
 */
export interface ParameterSpec {
  readonly description: string;
  readonly type: 'boolean' | 'string' | 'csv' | 'enum' | 'accountIds' | 'bpaFlags' | 'accessTypes';
  readonly default: string;
  /** For `enum`: the accepted values. */
  readonly allowed?: readonly string[];
}

/** The data a rule declares about itself: infra, the CLI and the docs are generated from it. */
export interface RuleMetadata {
  /** Folder name == rule id == deployed Config rule name suffix, e.g. `s3-bucket-versioning-enabled`. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The Config scope (what triggers it). */
  readonly resourceTypes: readonly ResourceType[];
  readonly triggers: {
    readonly configurationChanges: boolean;
    readonly periodic?: PeriodicFrequency;
  };
  readonly parameters: Readonly<Record<string, ParameterSpec>>;
  /** IAM actions this rule's Lambda calls beyond the shared adapter's base set (see adapter.ts BASE_PERMISSIONS). */
  readonly permissions: readonly string[];
  /** What outside facts the adapter must fetch for evaluate(). */
  readonly needs: { readonly accountBpa: boolean; readonly ownership: boolean };
  /** Remediation action id (remediation/index.ts) that fixes a NON_COMPLIANT result, if any. */
  readonly remediation?: string;
  readonly references: readonly string[];
}

/** Parameter values as Config delivers them, strings by key; parseParameters() reads them through parameterValue(). */
export type RawParameters = Readonly<Record<string, string>>;

export interface BucketRuleDefinition<P> extends RuleMetadata {
  readonly target: 'bucket';
  parseParameters(raw: RawParameters): P;
  /** Pure. Exemptions are applied around it by the shared code (exemptions.ts), not inside. */
  evaluate(bucket: BucketState, params: P, context: EvaluationContext): RuleResult;
}

export interface AccountRuleDefinition<P> extends RuleMetadata {
  readonly target: 'account';
  parseParameters(raw: RawParameters): P;
  /** `account` is undefined when the account has never had a BPA configuration (no configuration item exists). */
  evaluate(accountId: string, account: AccountBpaState | undefined, params: P, context: EvaluationContext): RuleResult;
}

/** A rule without its evaluation code: what rules/<id>/rule.ts declares (the registry and catalog read it). */
export type BucketRuleMetadata<P> = Omit<BucketRuleDefinition<P>, 'evaluate'>;
export type AccountRuleMetadata<P> = Omit<AccountRuleDefinition<P>, 'evaluate'>;
export type AnyRuleMetadata = BucketRuleMetadata<unknown> | AccountRuleMetadata<unknown>;

export type RuleDefinition<P = unknown> = BucketRuleDefinition<P> | AccountRuleDefinition<P>;

/** Raised for invalid rule parameters: says which key, what was received, what is accepted. */
export class InvalidParameterError extends Error {
  override readonly name = 'InvalidParameterError';
  constructor(
    readonly parameter: string,
    readonly received: unknown,
    readonly expected: string,
  ) {
    super(`Invalid rule parameter "${parameter}": received ${JSON.stringify(received)}; expected ${expected}.`);
  }
}
