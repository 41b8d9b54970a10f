/**
 * Is a bucket effectively public? (public-semantics.md §3.1)
 *
 *   public = (policy public ∧ ¬RestrictPublicBuckets) ∨ (ACL public ∧ ¬IgnorePublicAcls ∧ ownership ≠ BucketOwnerEnforced)
 *
 * with each Block Public Access flag = bucket OR account (a missing configuration is all false). BlockPublicPolicy
 * and BlockPublicAcls only stop future changes, so they never neutralise an existing grant.
 *
 * Unknown inputs: an unreadable account BPA is evaluated as if not set and always reported (it usually means the
 * deployment lacks s3:GetAccountPublicAccessBlock); unknown ownership means ACLs are assumed active and is reported
 * only when a public ACL grant depends on it (Config items never carry ownership, so it is usually unknown); an
 * unreadable ACL or policy makes that layer `unknown` and is reported unless BPA/ownership would neutralise it anyway.
 * The verdict is computed from the known layers; `uncertainLayers()` tells callers which unknowns could flip it.
 */

import {
  ACCESS_TYPES,
  type AccessType,
  type AccessVerdict,
  BPA_FLAGS,
  type BpaFlag,
  type BucketState,
  type ExplainLayer,
  type Exposure,
  type ExposureLayerName,
  type ExposureSource,
  type Fact,
  type PublicAccessBlockFlags,
} from '../model/types';
import { BPA_FLAG_NAMES } from '../model/wording';
import { analyseAcl, granteeLabel } from './acl';
import { analysePolicy, describeLimitedStatement, limitedStatements, type PolicyAnalysis } from './policy';

export type BpaOrigin = 'bucket' | 'account' | 'both' | 'none';

export type EffectiveBpa = Exposure['effectiveBpa'] & { readonly caveats: readonly string[] };

function flagsOf(fact: Fact<PublicAccessBlockFlags | null>): PublicAccessBlockFlags | null {
  return fact.known ? fact.value : null;
}

/** §3.1: the most restrictive combination of bucket and account settings; unknown or missing = not set. */
export function effectiveBlockPublicAccess(
  bucket: Fact<PublicAccessBlockFlags | null>,
  account: Fact<PublicAccessBlockFlags | null>,
): EffectiveBpa {
  const caveats: string[] = [];
  if (!account.known) {
    caveats.push(`Account-level Block Public Access could not be read (${account.reason}); evaluated as if not set.`);
  }
  if (!bucket.known) {
    caveats.push(`Bucket-level Block Public Access could not be read (${bucket.reason}); evaluated as if not set.`);
  }
  const bucketFlags = flagsOf(bucket);
  const accountFlags = flagsOf(account);
  const flags = {} as Record<BpaFlag, boolean>;
  const from = {} as Record<BpaFlag, BpaOrigin>;
  for (const flag of BPA_FLAGS) {
    const onBucket = bucketFlags?.[flag] === true;
    const onAccount = accountFlags?.[flag] === true;
    flags[flag] = onBucket || onAccount;
    from[flag] = onBucket && onAccount ? 'both' : onBucket ? 'bucket' : onAccount ? 'account' : 'none';
  }
  return { flags, from, caveats };
}

function originText(origin: BpaOrigin): string {
  return origin === 'both' ? 'bucket and account' : origin;
}

const MAX_REFS = 3;

function listRefs(refs: readonly string[]): string {
  if (refs.length <= MAX_REFS) return refs.join(', ');
  return `${refs.slice(0, MAX_REFS).join(', ')} and ${refs.length - MAX_REFS} more`;
}

function describeFlags(flags: PublicAccessBlockFlags): string {
  const on = BPA_FLAGS.filter((flag) => flags[flag] === true).map((flag) => BPA_FLAG_NAMES[flag]);
  const off = BPA_FLAGS.filter((flag) => flags[flag] !== true).map((flag) => BPA_FLAG_NAMES[flag]);
  if (off.length === 0) return 'all four settings on';
  if (on.length === 0) return 'all four settings off';
  return `on: ${on.join(', ')}; off: ${off.join(', ')}`;
}

function source(
  layer: 'acl' | 'policy',
  ref: string,
  principal: string,
  accessTypes: readonly AccessType[],
  neutralisedBy: string | undefined,
): ExposureSource {
  return neutralisedBy === undefined
    ? { layer, ref, principal, accessTypes }
    : { layer, ref, principal, accessTypes, neutralisedBy };
}

function describeSource(source: ExposureSource): string {
  return source.accessTypes.length === 0
    ? `${source.ref} (no bucket access type)`
    : `${source.ref} (${source.accessTypes.join(', ')})`;
}

function bpaLayer(
  layer: 'account-bpa' | 'bucket-bpa',
  fact: Fact<PublicAccessBlockFlags | null>,
  aclSources: readonly ExposureSource[],
  policySources: readonly ExposureSource[],
): ExplainLayer {
  if (!fact.known)
    return { layer, effect: 'unknown', detail: `could not be read (${fact.reason}); evaluated as if not set` };
  if (fact.value === null) return { layer, effect: 'none', detail: 'not configured' };
  const neutralised: string[] = [];
  if (fact.value.ignorePublicAcls === true) neutralised.push(...aclSources.map((source) => source.ref));
  if (fact.value.restrictPublicBuckets === true) neutralised.push(...policySources.map((source) => source.ref));
  const settings = describeFlags(fact.value);
  return neutralised.length === 0
    ? { layer, effect: 'none', detail: settings }
    : { layer, effect: 'neutralises', detail: `${settings}; neutralises ${listRefs(neutralised)}` };
}

function contentLayer(
  layer: 'acl' | 'policy',
  sources: readonly ExposureSource[],
  quietWhenNothingPublic: string,
): ExplainLayer {
  const effective = sources.filter((source) => !source.neutralisedBy);
  if (effective.length > 0) {
    return { layer, effect: 'exposes', detail: `public: ${listRefs(effective.map(describeSource))}` };
  }
  if (sources.length > 0) {
    const parts = sources.map((source) => `${source.ref} is public but neutralised by ${source.neutralisedBy}`);
    return { layer, effect: 'none', detail: listRefs(parts) };
  }
  return { layer, effect: 'none', detail: quietWhenNothingPublic };
}

/** The public sources of both layers and what neutralises them: what the verdict needs, before any explanation. */
interface CollectedSources {
  readonly bpa: EffectiveBpa;
  readonly ignoreAclsBy: string | undefined;
  readonly aclNeutraliser: string | undefined;
  readonly policyNeutraliser: string | undefined;
  readonly aclSources: readonly ExposureSource[];
  readonly policySources: readonly ExposureSource[];
  /** Set when the policy is known and present. */
  readonly policyAnalysis: PolicyAnalysis | undefined;
}

/** The parts of a bucket's state that decide whether it is public. */
export type ExposureLayers = Pick<BucketState, 'policy' | 'acl' | 'publicAccessBlock' | 'ownership'>;

function collectSources(bucket: ExposureLayers, accountBpa: Fact<PublicAccessBlockFlags | null>): CollectedSources {
  const bpa = effectiveBlockPublicAccess(bucket.publicAccessBlock, accountBpa);
  const ownership = bucket.ownership;
  const aclsDisabled = ownership.known && ownership.value === 'BucketOwnerEnforced';

  const ignoreAclsBy = bpa.flags.ignorePublicAcls
    ? `IgnorePublicAcls (${originText(bpa.from.ignorePublicAcls)})`
    : undefined;
  const aclNeutraliser =
    ignoreAclsBy && aclsDisabled
      ? `${ignoreAclsBy}; ACLs disabled (BucketOwnerEnforced)`
      : (ignoreAclsBy ?? (aclsDisabled ? 'ACLs disabled (BucketOwnerEnforced)' : undefined));
  const policyNeutraliser = bpa.flags.restrictPublicBuckets
    ? `RestrictPublicBuckets (${originText(bpa.from.restrictPublicBuckets)})`
    : undefined;

  const aclSources: ExposureSource[] = [];
  if (bucket.acl.known) {
    for (const grant of analyseAcl(bucket.acl.value).grants) {
      if (!grant.public) continue;
      aclSources.push(source('acl', grant.ref, granteeLabel(grant.grant.grantee), grant.accessTypes, aclNeutraliser));
    }
  }
  const policy = bucket.policy;
  const policySources: ExposureSource[] = [];
  const policyAnalysis = policy.known && policy.value !== null ? analysePolicy(policy.value) : undefined;
  if (policyAnalysis) {
    for (const statement of policyAnalysis.statements) {
      if (!statement.public) continue;
      policySources.push(
        source('policy', statement.ref, statement.principal, statement.accessTypes, policyNeutraliser),
      );
    }
  }
  return { bpa, ignoreAclsBy, aclNeutraliser, policyNeutraliser, aclSources, policySources, policyAnalysis };
}

/**
 * Shared by every verdict with no effective source (most buckets), readonly like all of an Exposure. The objects are
 * frozen, the empty lists are not (V8 walks frozen arrays several times slower).
 */
const NO_SOURCES: readonly ExposureSource[] = [];
const NOTHING_PUBLIC: Readonly<Record<AccessType, AccessVerdict>> = Object.freeze({
  read: Object.freeze({ public: false, via: NO_SOURCES }),
  write: Object.freeze({ public: false, via: NO_SOURCES }),
  list: Object.freeze({ public: false, via: NO_SOURCES }),
  readAcp: Object.freeze({ public: false, via: NO_SOURCES }),
  writeAcp: Object.freeze({ public: false, via: NO_SOURCES }),
});

/** acl sources then policy sources, without copying when one side is empty (the usual case). */
function allSources(aclSources: readonly ExposureSource[], policySources: readonly ExposureSource[]): ExposureSource[] {
  if (policySources.length === 0) return aclSources as ExposureSource[];
  if (aclSources.length === 0) return policySources as ExposureSource[];
  return [...aclSources, ...policySources];
}

/** Per access type, the effective (not neutralised) sources granting it, in source order. */
function accessOf(sources: readonly ExposureSource[]): Readonly<Record<AccessType, AccessVerdict>> {
  if (!sources.some((source) => !source.neutralisedBy)) return NOTHING_PUBLIC;
  const via = { read: [], write: [], list: [], readAcp: [], writeAcp: [] } as Record<AccessType, ExposureSource[]>;
  for (const source of sources) {
    if (source.neutralisedBy) continue;
    for (const type of source.accessTypes) {
      const list = Object.hasOwn(via, type) ? via[type] : undefined;
      // Listed once per source even if its access types repeated one (as the filter this replaces did).
      if (list !== undefined && list[list.length - 1] !== source) list.push(source);
    }
  }
  const access = {} as Record<AccessType, AccessVerdict>;
  for (const type of ACCESS_TYPES) access[type] = { public: via[type].length > 0, via: via[type] };
  return access;
}

/** What the public-access rule needs from analyseExposure: the verdict and its sources, without the explanation. */
export type ExposureVerdict = Pick<Exposure, 'public' | 'access' | 'sources'>;

/** analyseExposure's `public`, `access` and `sources`, identical, without building the layers and caveats text. */
export function exposureVerdict(
  bucket: ExposureLayers,
  accountBpa: Fact<PublicAccessBlockFlags | null>,
): ExposureVerdict {
  const { aclSources, policySources } = collectSources(bucket, accountBpa);
  const sources = allSources(aclSources, policySources);
  const access = accessOf(sources);
  return { public: sources.some((source) => !source.neutralisedBy), access, sources };
}

export function analyseExposure(bucket: BucketState, accountBpa: Fact<PublicAccessBlockFlags | null>): Exposure {
  const collected = collectSources(bucket, accountBpa);
  const { bpa, ignoreAclsBy, aclNeutraliser, policyNeutraliser, aclSources, policySources } = collected;
  const caveats: string[] = [...bpa.caveats];
  const ownership = bucket.ownership;

  // ACL layer
  let aclLayer: ExplainLayer;
  if (bucket.acl.known) {
    aclLayer = contentLayer('acl', aclSources, 'no public grants');
  } else if (aclNeutraliser) {
    aclLayer = {
      layer: 'acl',
      effect: 'none',
      detail: `could not be read (${bucket.acl.reason}); no effect: ${aclNeutraliser}`,
    };
  } else {
    caveats.push(`Bucket ACL could not be read (${bucket.acl.reason}); the ACL layer was not evaluated.`);
    aclLayer = { layer: 'acl', effect: 'unknown', detail: `could not be read (${bucket.acl.reason}); not evaluated` };
  }

  // Policy layer
  let policyLayer: ExplainLayer;
  const policy = bucket.policy;
  if (!policy.known) {
    if (policyNeutraliser) {
      policyLayer = {
        layer: 'policy',
        effect: 'none',
        detail: `could not be read (${policy.reason}); no effect: ${policyNeutraliser}`,
      };
    } else {
      caveats.push(`Bucket policy could not be read (${policy.reason}); the policy layer was not evaluated.`);
      policyLayer = {
        layer: 'policy',
        effect: 'unknown',
        detail: `could not be read (${policy.reason}); not evaluated`,
      };
    }
  } else if (policy.value === null) {
    policyLayer = { layer: 'policy', effect: 'none', detail: 'no bucket policy' };
  } else {
    const analysis = collected.policyAnalysis ?? analysePolicy(policy.value);
    // With RestrictPublicBuckets in force no statement can make the bucket public: its caveats cannot matter.
    if (!policyNeutraliser) for (const caveat of analysis.caveats) caveats.push(caveat);
    const limited = limitedStatements(policy.value).map(describeLimitedStatement);
    const quiet = limited.length > 0 ? `no public statements; ${listRefs(limited)}` : 'no public statements';
    policyLayer = contentLayer('policy', policySources, quiet);
  }

  // Ownership layer: it matters only for public ACL grants that IgnorePublicAcls leaves in force.
  let ownershipLayer: ExplainLayer;
  if (!ownership.known) {
    const dependsOnOwnership = !ignoreAclsBy && aclSources.length > 0;
    if (dependsOnOwnership) {
      caveats.push(`Object Ownership could not be read (${ownership.reason}); ACLs assumed active.`);
      ownershipLayer = {
        layer: 'ownership',
        effect: 'unknown',
        detail: `could not be read (${ownership.reason}); ACLs assumed active`,
      };
    } else {
      ownershipLayer = {
        layer: 'ownership',
        effect: 'none',
        detail: `could not be read (${ownership.reason}); no effect on this verdict`,
      };
    }
  } else if (ownership.value === 'BucketOwnerEnforced') {
    ownershipLayer =
      aclSources.length > 0
        ? {
            layer: 'ownership',
            effect: 'neutralises',
            detail: `BucketOwnerEnforced: ACLs disabled; neutralises ${listRefs(aclSources.map((s) => s.ref))}`,
          }
        : { layer: 'ownership', effect: 'none', detail: 'BucketOwnerEnforced: ACLs disabled' };
  } else if (ownership.value === null) {
    ownershipLayer = { layer: 'ownership', effect: 'none', detail: 'no ownership controls: ACLs active' };
  } else {
    ownershipLayer = { layer: 'ownership', effect: 'none', detail: `${ownership.value}: ACLs active` };
  }

  const sources = allSources(aclSources, policySources);
  const access = accessOf(sources);

  return {
    public: sources.some((source) => !source.neutralisedBy),
    access,
    sources,
    effectiveBpa: { flags: bpa.flags, from: bpa.from },
    layers: [
      bpaLayer('account-bpa', accountBpa, aclSources, policySources),
      bpaLayer('bucket-bpa', bucket.publicAccessBlock, aclSources, policySources),
      ownershipLayer,
      aclLayer,
      policyLayer,
    ],
    caveats,
  };
}

/** Layers whose input could not be read and that were reported as `unknown`. */
export function unknownLayers(exposure: Exposure): ExposureLayerName[] {
  return exposure.layers.filter((layer) => layer.effect === 'unknown').map((layer) => layer.layer);
}

const TIGHTENING_LAYERS: ReadonlySet<ExposureLayerName> = new Set(['account-bpa', 'bucket-bpa', 'ownership']);
const EXPOSING_LAYERS: ReadonlySet<ExposureLayerName> = new Set(['acl', 'policy']);

/**
 * Unknown layers that could flip the verdict (overall, or for one access type): when public, an unknown BPA or
 * ownership layer might neutralise it; when not public, an unknown ACL or policy might expose it. An empty result
 * means the verdict is certain despite any unknowns.
 */
export function uncertainLayers(exposure: Exposure, access?: AccessType): ExposureLayerName[] {
  const isPublic = access ? exposure.access[access].public : exposure.public;
  const relevant = isPublic ? TIGHTENING_LAYERS : EXPOSING_LAYERS;
  return unknownLayers(exposure).filter((layer) => relevant.has(layer));
}
