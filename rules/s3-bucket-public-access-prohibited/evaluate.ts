import { analyseAcl } from '../../exposure/acl';
import { type ExposureLayers, exposureVerdict } from '../../exposure/bucket-exposure';
import { analysePolicy, describeLimitedStatement, limitedStatements, statementRef } from '../../exposure/policy';
import { appendNote, MAX_ANNOTATION_LENGTH, unknownInput, withoutFinalPeriod } from '../../model/annotation';
import {
  ACCESS_TYPES,
  type AccessType,
  type BucketPolicy,
  type BucketState,
  type EvaluationContext,
  type ExposureSource,
  known,
  type RuleResult,
} from '../../model/types';
import { describeAccessTypes, flagInForce } from '../../model/wording';
import type { CommonBucketParameters } from '../parameters';
import { bucketResult, couldNotEvaluate } from '../run-rule';

export interface PublicAccessParameters extends CommonBucketParameters {
  /** What counts as public; access of other types is reported COMPLIANT (and named). */
  readonly accessTypes: readonly AccessType[];
}

/** A source together with the checked access types it grants. */
interface Finding {
  readonly source: ExposureSource;
  readonly types: AccessType[];
}

/** Adds `type` to the finding for `source`'s layer and ref (one finding per layer and ref, first seen first). */
function addFinding(findings: Finding[], source: ExposureSource, type: AccessType): void {
  // A linear search: a bucket has a handful of public sources at most (usually none).
  let finding = findings.find(
    (candidate) => candidate.source.layer === source.layer && candidate.source.ref === source.ref,
  );
  if (finding === undefined) {
    finding = { source, types: [] };
    findings.push(finding);
  }
  finding.types.push(type);
}

/**
 * Public by S3's definition (analyseExposure), narrowed to the `accessTypes` parameter. Unknown account-level BPA is
 * evaluated as not configured (the worst case) and said; other unknown inputs give NOT_APPLICABLE unless what is known
 * already proves the bucket public, or the unknown part cannot matter (e.g. an unreadable policy under
 * RestrictPublicBuckets).
 */
export function evaluatePublicAccess(
  bucket: BucketState,
  params: PublicAccessParameters,
  context: EvaluationContext,
): RuleResult {
  const accountBpa = context.accountBpa;
  const accountNote = accountBpa.known
    ? ''
    : `Account-level Block Public Access unknown (${withoutFinalPeriod(accountBpa.reason)}); evaluated as off.`;
  // When space is short the note keeps its point and drops the reason.
  const shortAccountNote = accountBpa.known ? '' : 'Account-level Block Public Access unknown; evaluated as off.';
  // Most buckets: both layers read, and neither holds anything public (neutralised or not). What the full analysis
  // below would conclude, without building its sources and findings.
  if (bucket.policy.known && bucket.acl.known && !analyseAcl(bucket.acl.value).public) {
    const policy = bucket.policy.value;
    if (policy === null || !analysePolicy(policy).public) {
      const text = policy === null ? NOTHING_PUBLIC : withLimitedStatements(NOTHING_PUBLIC, policy);
      return bucketResult(bucket, 'COMPLIANT', withNote(text, accountNote, shortAccountNote));
    }
  }
  // Exposure only ever sees known inputs; what was unknown is decided here, explicitly. (Only the four layers it
  // reads: copying the whole state for every item showed up in profiles.)
  const assumed: ExposureLayers = {
    policy: bucket.policy.known ? bucket.policy : known(null),
    acl: bucket.acl.known ? bucket.acl : known({ grants: [] }),
    publicAccessBlock: bucket.publicAccessBlock.known ? bucket.publicAccessBlock : known(null),
    ownership: bucket.ownership.known ? bucket.ownership : known(null),
  };
  // exposureVerdict: analyseExposure's verdict and sources without its explanation text, which this rule does not use.
  const exposure = exposureVerdict(assumed, accountBpa.known ? accountBpa : known(null));
  const checked = params.accessTypes;

  const findings: Finding[] = [];
  const unchecked: Finding[] = [];
  for (const type of ACCESS_TYPES) {
    const via = exposure.access[type].via;
    for (let index = 0; index < via.length; index++) {
      addFinding(checked.includes(type) ? findings : unchecked, via[index], type);
    }
  }

  if (findings.length > 0) {
    if (!bucket.publicAccessBlock.known) {
      // Any bucket-level setting could neutralise what was found: nothing is proven either way.
      return couldNotEvaluate(
        'AWS::S3::Bucket',
        bucket.name,
        unknownInput('bucket-level Block Public Access', bucket.publicAccessBlock),
      );
    }
    const text = describePublic(findings, bucket, accountBpa.known, shortAccountNote.length);
    return bucketResult(bucket, 'NON_COMPLIANT', withNote(text, accountNote, shortAccountNote));
  }

  // Nothing known is public: an unreadable layer matters unless a setting would neutralise whatever it holds.
  const missing: string[] = [];
  const unreadNeutralised: string[] = [];
  if (!bucket.policy.known) {
    const by = flagInForce('restrictPublicBuckets', bucket.publicAccessBlock, accountBpa);
    if (by) unreadNeutralised.push(`unreadable bucket policy neutralised by ${by}`);
    else missing.push(unknownInput('bucket policy', bucket.policy));
  }
  if (!bucket.acl.known) {
    const aclsDisabled = bucket.ownership.known && bucket.ownership.value === 'BucketOwnerEnforced';
    const by =
      flagInForce('ignorePublicAcls', bucket.publicAccessBlock, accountBpa) ??
      (aclsDisabled ? 'ACLs disabled (BucketOwnerEnforced)' : undefined);
    if (by) unreadNeutralised.push(`unreadable ACL neutralised by ${by}`);
    else missing.push(unknownInput('bucket ACL', bucket.acl));
  }
  if (missing.length > 0) return couldNotEvaluate('AWS::S3::Bucket', bucket.name, missing.join('; '));

  const notPublic = describeNotPublic(exposure.sources, unchecked, params.accessTypes, unreadNeutralised);
  const policy = bucket.policy.known ? bucket.policy.value : null;
  const text = policy === null ? notPublic : withLimitedStatements(notPublic, policy);
  return bucketResult(bucket, 'COMPLIANT', withNote(text, accountNote, shortAccountNote));
}

/** `text` and the note; the short note when the full one would not fit in an annotation. */
function withNote(text: string, note: string, shortNote: string): string {
  if (note === '') return text;
  const full = `${text} ${note}`;
  return full.length <= MAX_ANNOTATION_LENGTH ? full : appendNote(text, shortNote);
}

// ---------------------------------------------------------------------------------------------------------------
// Wording

const LAYER_WORDS = { policy: 'bucket policy', acl: 'ACL' } as const;
const LAYERS = ['policy', 'acl'] as const;
const NEUTRALISING_FLAG = { policy: 'RestrictPublicBuckets', acl: 'IgnorePublicAcls' } as const;

const GRANT_REF = /^grant (.+) (\S+)$/;

/**
 * `grant <grantee> <PERMISSION>` -> [grantee, permission], as GRANT_REF would capture them. The usual ref (a
 * permission in capitals, a grantee on one line) is split at its last space without running the regex.
 */
function splitGrantRef(ref: string): readonly [string, string] | undefined {
  const space = ref.lastIndexOf(' ');
  if (ref.startsWith('grant ') && space > 6 && space < ref.length - 1 && /^[A-Z_]+$/.test(ref.slice(space + 1))) {
    const grantee = ref.slice(6, space);
    if (!/[\n\r\u2028\u2029]/.test(grantee)) return [grantee, ref.slice(space + 1)];
  }
  const match = GRANT_REF.exec(ref);
  return match ? [match[1], match[2]] : undefined;
}

/** `grant AllUsers READ` -> `AllUsers has READ` (merged per grantee: `AllUsers has READ, WRITE`). */
function describeAclSources(sources: readonly ExposureSource[], brief: boolean): string {
  const byGrantee = new Map<string, string[]>();
  for (const source of sources) {
    const match = splitGrantRef(source.ref);
    const grantee = match ? match[0] : source.principal;
    const permission = match ? match[1] : source.ref;
    const permissions = byGrantee.get(grantee) ?? [];
    if (!permissions.includes(permission)) permissions.push(permission);
    byGrantee.set(grantee, permissions);
  }
  return [...byGrantee]
    .map(([grantee, permissions]) => `${grantee}${brief ? ' ' : ' has '}${permissions.join(', ')}`)
    .join(brief ? ', ' : '; ');
}

function describePrincipal(principal: string): string {
  return principal === 'NotPrincipal' ? 'everyone outside its NotPrincipal' : principal;
}

/** `statement "PublicRead" allows * (no limiting condition)` */
function describePolicySources(sources: readonly ExposureSource[], bucket: BucketState, brief: boolean): string {
  if (brief) return sources.map((source) => source.ref).join(', ');
  const statements = bucket.policy.known && bucket.policy.value !== null ? bucket.policy.value.Statement : [];
  return sources
    .map((source) => {
      const index = statements.findIndex((statement, i) => statementRef(statement, i) === source.ref);
      const hasCondition = index >= 0 && statements[index].Condition !== undefined;
      const why = hasCondition ? 'its Condition does not limit it' : 'no limiting condition';
      return `${source.ref} allows ${describePrincipal(source.principal)} (${why})`;
    })
    .join(', ');
}

/** The full sentence per layer when it fits beside `reserve` characters of notes; one short clause per layer if not. */
function describePublic(
  findings: readonly Finding[],
  bucket: BucketState,
  accountKnown: boolean,
  reserve: number,
): string {
  const levels = accountKnown ? 'at bucket and account level' : 'at bucket level';
  const layers: { layer: 'policy' | 'acl'; sources: ExposureSource[]; types: string }[] = [];
  for (const layer of LAYERS) {
    const sources: ExposureSource[] = [];
    const types: AccessType[] = [];
    for (const finding of findings) {
      if (finding.source.layer !== layer) continue;
      sources.push(finding.source);
      for (const type of finding.types) types.push(type);
    }
    if (sources.length > 0) layers.push({ layer, sources, types: describeAccessTypes(types) });
  }
  let full = '';
  for (const { layer, sources, types } of layers) {
    const what = layer === 'acl' ? describeAclSources(sources, false) : describePolicySources(sources, bucket, false);
    const sentence = `Public ${types} via ${LAYER_WORDS[layer]}: ${what}; ${NEUTRALISING_FLAG[layer]} is off ${levels}.`;
    full = full === '' ? sentence : `${full} ${sentence}`;
  }
  if (full.length + (reserve > 0 ? reserve + 1 : 0) <= MAX_ANNOTATION_LENGTH) return full;
  // Several sources: one short clause per layer, at most two sources each, so every layer is still named.
  const brief = (layer: 'policy' | 'acl', sources: readonly ExposureSource[]) => {
    const shown = sources.slice(0, 2);
    const more = sources.length > shown.length ? ` and ${sources.length - shown.length} more` : '';
    const what = layer === 'acl' ? describeAclSources(shown, true) : describePolicySources(shown, bucket, true);
    return `${LAYER_WORDS[layer]} (${what}${more})`;
  };
  const flags = layers.map(({ layer }) => NEUTRALISING_FLAG[layer]).join(' and ');
  const verb = layers.length > 1 ? 'are' : 'is';
  const sameTypes = layers.every(({ types }) => types === layers[0].types);
  const clauses = sameTypes
    ? `${layers[0].types} via ${layers.map(({ layer, sources }) => brief(layer, sources)).join(' and ')}`
    : layers.map(({ layer, sources, types }) => `${types} via ${brief(layer, sources)}`).join('; ');
  return `Public ${clauses}; ${flags} ${verb} off ${levels}.`;
}

const NOTHING_PUBLIC = 'Not public: no public policy statement or ACL grant.';

/** At most this many limited statements are named; the rest are counted. */
const MAX_LIMITED_NAMED = 2;

/**
 * `Not public: ... (statement "S" allows any principal, limited by aws:SourceVpce vpce-1a2b3c4d).`: a statement open to
 * `*` or to everyone outside a NotPrincipal is named with the condition that keeps it non-public.
 */
function withLimitedStatements(text: string, policy: BucketPolicy): string {
  const limited = limitedStatements(policy);
  if (limited.length === 0) return text;
  const named = limited.slice(0, MAX_LIMITED_NAMED).map(describeLimitedStatement);
  if (limited.length > MAX_LIMITED_NAMED) named.push(`${limited.length - MAX_LIMITED_NAMED} more so limited`);
  return `${text.slice(0, -1)} (${named.join('; ')}).`;
}

function describeNotPublic(
  sources: readonly ExposureSource[],
  unchecked: readonly Finding[],
  checked: readonly AccessType[],
  unreadNeutralised: readonly string[],
): string {
  const parts: string[] = [...unreadNeutralised];
  for (const layer of ['policy', 'acl'] as const) {
    const neutralised = sources.filter((source) => source.layer === layer && source.neutralisedBy !== undefined);
    if (neutralised.length === 0) continue;
    const by: string[] = []; // distinct, first seen first
    for (const source of neutralised) {
      const neutraliser = source.neutralisedBy as string;
      if (!by.includes(neutraliser)) by.push(neutraliser);
    }
    const noun = layer === 'policy' ? 'policy statement' : 'ACL grant';
    parts.push(`public ${noun}${neutralised.length > 1 ? 's' : ''} neutralised by ${by.join(', ')}`);
  }
  if (unchecked.length > 0) {
    const types = describeAccessTypes(unchecked.flatMap((finding) => finding.types));
    const layers = [...new Set(unchecked.map((finding) => LAYER_WORDS[finding.source.layer]))].join(' and ');
    parts.push(`public ${types} via ${layers} is not checked (accessTypes: ${checked.join(', ')})`);
  }
  if (parts.length === 0) return NOTHING_PUBLIC;
  return `Not public: ${parts.join('; ')}.`;
}
